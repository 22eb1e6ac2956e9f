"""What the crawl learns of a site's HTTPS certificate: facts for the snapshot, never a verdict.

Scrapy does not verify certificates (a site with a bad one is still crawled and its
content audited, as a person clicking past the browser's warning would see it); it
hands the peer's certificate over as `response.certificate`. `describe()` reads it:

  {"subject": "CN=...", "issuer": "CN=...", "names": ["127.0.1.5", "www.x.gov.cn"],
   "not_before": "2026-01-01", "not_after": "2027-01-01", "checked": "2026-...T...+00:00",
   "problems": [...]}

`problems`, measured at `checked` (a certificate's validity is about the day of the crawl,
not the audit's as-of date), are any of
  self_signed     signed by its own key (subject = issuer) and not itself a trusted root
  expired         `checked` is after not_after
  not_yet_valid   `checked` is before not_before
  name_mismatch   none of its names (subjectAltName; the CN only without one) is the host
  untrusted       its issuer is no root of the trust store. Only the leaf is seen, so a
                  certificate from an intermediate CA the server sends along looks the same:
                  the audit does not judge this one alone.
The trust store: the system's CA bundle (certifi's where the system has none) and the PEM
files of DISCLOSURE_TRUSTED_CA (e.g. the sandbox's CA).
"""
from __future__ import annotations

import ipaddress
import logging
import ssl
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes

logger = logging.getLogger(__name__)


@dataclass
class TrustStore:
    roots: dict[bytes, x509.Certificate] = field(default_factory=dict)   # DER-encoded subject -> root

    @classmethod
    def load(cls, extra: str | list[str] | tuple = ()) -> "TrustStore":
        """The system's roots (certifi's without a system bundle) and those of the `extra` PEM files."""
        store = cls()
        system = ssl.get_default_verify_paths().cafile
        if system and Path(system).is_file():
            store.add_pem_file(system)
        else:
            import certifi
            store.add_pem_file(certifi.where())
        for path in [extra] if isinstance(extra, str) else extra:
            if path:
                store.add_pem_file(path)
        return store

    def add_pem_file(self, path: str) -> None:
        try:
            with warnings.catch_warnings():     # a few old roots have non-positive serial numbers
                warnings.simplefilter("ignore")
                certificates = x509.load_pem_x509_certificates(Path(path).read_bytes())
        except (OSError, ValueError) as error:
            logger.warning("trust store: cannot read certificates from %s: %s", path, error)
            return
        for certificate in certificates:
            self.roots[certificate.subject.public_bytes()] = certificate

    def is_root(self, certificate: x509.Certificate) -> bool:
        root = self.roots.get(certificate.subject.public_bytes())
        return root is not None and root.fingerprint(hashes.SHA256()) == certificate.fingerprint(hashes.SHA256())

    def issued_by_root(self, certificate: x509.Certificate) -> bool:
        root = self.roots.get(certificate.issuer.public_bytes())
        return root is not None and signed_by(certificate, root)


def signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        certificate.verify_directly_issued_by(issuer)
    except Exception:       # wrong issuer name, key type or signature (InvalidSignature)
        return False
    return True


def names_of(certificate: x509.Certificate) -> tuple[list[str], list[str]]:
    """(DNS names, IP addresses) it is issued for: its subjectAltName, else its CN as a DNS name."""
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        cns = certificate.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
        return [str(cn.value) for cn in cns], []
    return san.get_values_for_type(x509.DNSName), [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]


def name_matches(host: str, dns_names: list[str], ip_names: list[str]) -> bool:
    """Whether the certificate's names cover `host` (RFC 6125: one leftmost `*` label; IPs exactly)."""
    host = host.strip("[]").lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        return any(ipaddress.ip_address(ip) == address for ip in ip_names)
    for name in dns_names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def describe(certificate: x509.Certificate, host: str, trust: TrustStore, now: datetime | None = None) -> dict:
    """The facts of the certificate a site at `host` served, problems measured at `now` (UTC)."""
    now = now or datetime.now(timezone.utc)
    dns_names, ip_names = names_of(certificate)
    problems = []
    trusted_root = trust.is_root(certificate)
    if certificate.issuer == certificate.subject and signed_by(certificate, certificate) and not trusted_root:
        problems.append("self_signed")
    elif not trusted_root and not trust.issued_by_root(certificate):
        problems.append("untrusted")
    if now > certificate.not_valid_after_utc:
        problems.append("expired")
    if now < certificate.not_valid_before_utc:
        problems.append("not_yet_valid")
    if not name_matches(host, dns_names, ip_names):
        problems.append("name_mismatch")
    return {"subject": certificate.subject.rfc4514_string(), "issuer": certificate.issuer.rfc4514_string(),
            "names": dns_names + ip_names,
            "not_before": certificate.not_valid_before_utc.date().isoformat(),
            "not_after": certificate.not_valid_after_utc.date().isoformat(),
            "checked": now.isoformat(timespec="seconds"), "problems": problems}


def of_response(response, trust: TrustStore, now: datetime | None = None) -> dict | None:
    """The certificate facts of an HTTPS response; None for plain HTTP. A response read from the
    HTTP cache has none (`entry_meta` keeps HTTPS entry pages out of it): {"problems": [], "unavailable": ...}."""
    parts = urlsplit(response.url)
    if parts.scheme != "https":
        return None
    peer = getattr(response, "certificate", None)
    if peer is None:
        return {"problems": [], "unavailable": "no certificate with the response (read from a cache?)"}
    try:
        certificate = x509.load_der_x509_certificate(peer.dump())
    except Exception as error:      # a certificate cryptography cannot parse is a fact too
        return {"problems": [], "unavailable": f"unreadable certificate: {error}"}
    return describe(certificate, parts.hostname or "", trust, now)


def entry_meta(url: str | None) -> dict:
    """Request meta of a unit's entry page: HTTPS ones bypass the HTTP cache, so that the
    response carries the certificate of this crawl's connection."""
    return {"dont_cache": True} if url and urlsplit(url).scheme == "https" else {}
