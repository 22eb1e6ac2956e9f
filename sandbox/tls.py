"""Certificates of the sandbox's HTTPS sites, made at start (nothing secret is committed).

One sandbox CA (`建始县沙盒根证书`) issues the certificates of the sites whose `Site.tls` is
`valid`, `expired` or `name_mismatch`; a `self_signed` site signs its own. Dates count from
the real clock (a TLS client judges a certificate against today, not against the web's
as-of date): valid ones from yesterday for a year, the expired one ended 30 days ago.
Keys are EC P-256 (fast to make). `TlsMaterial.context(site)` is the ssl.SSLContext
a site listens with (leaf and CA sent as the chain, as a well-run server does);
`write_ca(path)` writes the CA for a client that is told to trust it.
"""
from __future__ import annotations

import ipaddress
import os
import ssl
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sandbox.model import TLS_STATES, Site

MISMATCHED_NAME = "www.jianshi.gov.cn"     # the portal's name on a department's site: a common slip
CA_NAME = "建始县沙盒根证书"
EXPIRED_DAYS_AGO = 30


def name(common_name: str, organization: str = "建始县（沙盒）") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def san_entry(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def make_certificate(subject: x509.Name, key, issuer: x509.Name, issuer_key, not_before: datetime,
                     not_after: datetime, names: list[str] = (), ca: bool = False) -> x509.Certificate:
    """A certificate of `key` for `names` (IP addresses or DNS names), signed by `issuer_key`."""
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if names:
        builder = builder.add_extension(x509.SubjectAlternativeName([san_entry(n) for n in names]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def make_ca(now: datetime | None = None):
    """(key, certificate) of a CA valid from yesterday for ten years."""
    now = now or datetime.now(timezone.utc)
    key = new_key()
    subject = name(CA_NAME)
    return key, make_certificate(subject, key, subject, key, now - timedelta(days=1), now + timedelta(days=3650),
                                 ca=True)


def site_certificate(state: str, host: str, ca, now: datetime | None = None):
    """(key, certificate) that a site of TLS state `state` at `host` serves."""
    if state not in TLS_STATES:
        raise ValueError(f"unknown TLS state {state!r}: {', '.join(TLS_STATES)}")
    now = now or datetime.now(timezone.utc)
    ca_key, ca_cert = ca
    key = new_key()
    start, end = now - timedelta(days=1), now + timedelta(days=365)
    if state == "expired":
        start, end = now - timedelta(days=365 + EXPIRED_DAYS_AGO), now - timedelta(days=EXPIRED_DAYS_AGO)
    names = [MISMATCHED_NAME] if state == "name_mismatch" else [host]
    subject = name(names[0])
    if state == "self_signed":
        return key, make_certificate(subject, key, subject, key, start, end, names)
    return key, make_certificate(subject, key, ca_cert.subject, ca_key, start, end, names)


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def server_context(key, certificate: x509.Certificate, chain: list[x509.Certificate] = ()) -> ssl.SSLContext:
    """An SSLContext serving `certificate` (then `chain`) with `key`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    # load_cert_chain reads files only: a private temporary file, removed at once
    fd, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key_pem + pem(certificate) + b"".join(pem(c) for c in chain))
        context.load_cert_chain(path)
    finally:
        os.unlink(path)
    return context


@dataclass
class TlsMaterial:
    """The sandbox CA and the SSL contexts of a web's HTTPS sites, made once at start."""
    ca: tuple
    contexts: dict[str, ssl.SSLContext]
    certificates: dict[str, x509.Certificate]

    @classmethod
    def for_sites(cls, sites: list[Site], now: datetime | None = None) -> "TlsMaterial":
        ca = make_ca(now)
        contexts, certificates = {}, {}
        for site in sites:
            if not site.tls:
                continue
            key, certificate = site_certificate(site.tls, site.host, ca, now)
            chain = [] if site.tls == "self_signed" else [ca[1]]
            contexts[site.id] = server_context(key, certificate, chain)
            certificates[site.id] = certificate
        return cls(ca=ca, contexts=contexts, certificates=certificates)

    def write_ca(self, path) -> None:
        from pathlib import Path
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pem(self.ca[1]))
