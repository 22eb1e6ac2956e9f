"""crawler/certificates.py on real certificates made here (sandbox/tls.py's helpers), and the
site_certificate_invalid audit and bulletin paragraph on the facts it records."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from cryptography.hazmat.primitives import serialization
from OpenSSL import crypto
from twisted.internet.ssl import Certificate

from audits import audit_unit, certificate as certificate_audit
from crawler import certificates
from crawler.certificates import TrustStore, describe, name_matches
from reports.bulletin import bulletin_blocks
from sandbox import tls
from tests.audit_fixtures import AS_OF, make_config, snapshot

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
HOST = "127.0.1.16"
CONFIG = make_config()


@pytest.fixture(scope="module")
def ca():
    return tls.make_ca(NOW)


@pytest.fixture(scope="module")
def trusting(ca, tmp_path_factory):
    """The system's roots and the test CA."""
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    path.write_bytes(tls.pem(ca[1]))
    return TrustStore.load([str(path)])


def made(state: str, ca, host: str = HOST):
    return tls.site_certificate(state, host, ca, NOW)[1]


def test_a_valid_certificate_from_a_trusted_ca_has_no_problem(ca, trusting):
    facts = describe(made("valid", ca), HOST, trusting, NOW)
    assert facts["problems"] == []
    assert facts["names"] == [HOST]
    assert facts["issuer"].startswith("CN=" + tls.CA_NAME)
    assert facts["not_after"] == (NOW + timedelta(days=365)).date().isoformat()


def test_the_same_certificate_without_trusting_its_ca_is_untrusted_only(ca):
    facts = describe(made("valid", ca), HOST, TrustStore.load(), NOW)
    assert facts["problems"] == ["untrusted"]


def test_self_signed(ca, trusting):
    facts = describe(made("self_signed", ca), HOST, trusting, NOW)
    assert facts["problems"] == ["self_signed"]
    assert facts["issuer"] == facts["subject"]


def test_a_self_signed_certificate_the_store_holds_is_a_trusted_root(ca, trusting):
    assert describe(ca[1], HOST, trusting, NOW)["problems"] == ["name_mismatch"]


def test_expired_and_not_yet_valid(ca, trusting):
    expired = describe(made("expired", ca), HOST, trusting, NOW)
    assert expired["problems"] == ["expired"]
    assert expired["not_after"] == (NOW - timedelta(days=tls.EXPIRED_DAYS_AGO)).date().isoformat()
    early = describe(made("valid", ca), HOST, trusting, NOW - timedelta(days=3))
    assert early["problems"] == ["not_yet_valid"]


def test_name_mismatch(ca, trusting):
    facts = describe(made("name_mismatch", ca), HOST, trusting, NOW)
    assert facts["problems"] == ["name_mismatch"]
    assert facts["names"] == [tls.MISMATCHED_NAME]
    # issued for the name, it is right for that host
    assert describe(made("valid", ca, "www.jianshi.gov.cn"), "WWW.jianshi.gov.cn", trusting, NOW)["problems"] == []


def test_names_match_as_browsers_match_them():
    assert name_matches("a.gov.cn", ["*.gov.cn"], [])
    assert not name_matches("b.a.gov.cn", ["*.gov.cn"], [])
    assert not name_matches("gov.cn", ["*.gov.cn"], [])
    assert name_matches("127.0.0.1", [], ["127.0.0.1"])
    assert not name_matches("127.0.0.1", ["127.0.0.1"], [])     # an IP is matched by IP entries only
    assert name_matches("[::1]", [], ["::1"])


def twisted_certificate(certificate) -> Certificate:
    der = certificate.public_bytes(serialization.Encoding.DER)
    return Certificate(crypto.load_certificate(crypto.FILETYPE_ASN1, der))


def test_of_response_reads_scrapy_s_peer_certificate(ca, trusting):
    response = SimpleNamespace(url=f"https://{HOST}:8311/", certificate=twisted_certificate(made("expired", ca)))
    assert certificates.of_response(response, trusting, NOW)["problems"] == ["expired"]
    assert certificates.of_response(SimpleNamespace(url=f"http://{HOST}/", certificate=None), trusting) is None
    cached = certificates.of_response(SimpleNamespace(url=f"https://{HOST}/", certificate=None), trusting)
    assert cached["problems"] == [] and cached["unavailable"]
    assert certificates.entry_meta(f"https://{HOST}/") == {"dont_cache": True}
    assert certificates.entry_meta(f"http://{HOST}/") == {}


# ----------------------------------------------------------------- the audit and the bulletin

def with_certificate(problems, own_site=True, **facts) -> dict:
    snap = snapshot("jiaotongju", "交通局", "县直部门")
    snap["unit"].update(own_site=own_site, host=f"{HOST}:8311", entry_url=f"https://{HOST}:8311/")
    snap["reachability"]["certificate"] = {"problems": problems, "not_after": "2026-05-02",
                                           "not_before": "2025-05-02", "names": ["www.jianshi.gov.cn"], **facts}
    return snap


@pytest.mark.parametrize("problems, observed", [
    (["self_signed"], "自签名证书"),
    (["expired"], "证书已过期（2026-05-02）"),
    (["not_yet_valid"], "证书尚未生效（2025-05-02）"),
    (["name_mismatch"], f"证书与域名不符（证书为www.jianshi.gov.cn，网站为{HOST}）"),
    (["untrusted", "expired", "name_mismatch"],
     f"证书已过期（2026-05-02）；证书与域名不符（证书为www.jianshi.gov.cn，网站为{HOST}）"),
])
def test_site_certificate_invalid_says_what_is_wrong(problems, observed):
    (f,) = certificate_audit.audit(with_certificate(problems), CONFIG, AS_OF)
    assert (f.check, f.severity, f.observed, f.url) == ("site_certificate_invalid", "low", observed,
                                                        f"https://{HOST}:8311/")
    assert f.message.startswith(f"交通局网站的HTTPS证书无效：{observed}。")


def test_no_finding_for_a_sound_or_unknown_issuer_certificate_or_a_hosted_unit():
    for snap in (with_certificate([]), with_certificate(["untrusted"]),
                 with_certificate(["self_signed"], own_site=False), snapshot()):
        assert list(certificate_audit.audit(snap, CONFIG, AS_OF)) == []


def test_the_content_of_a_site_with_a_bad_certificate_is_audited_too():
    checks = {f.check for f in audit_unit(with_certificate(["expired"]), CONFIG, AS_OF)}
    assert "site_certificate_invalid" in checks and len(checks) > 1


def test_the_bulletin_names_the_units_under_internet_building():
    snap = with_certificate(["self_signed"])
    findings = audit_unit(snap, CONFIG, AS_OF)
    text = "\n".join(b.text for b in bulletin_blocks(findings, [snap], CONFIG, AS_OF))
    internet = text.split("三、互联网建设", 1)[1]
    assert "网站证书无效、浏览器访问时提示不安全的单位：县直部门有交通局（自签名证书）" in internet
    assert "网站证书无效" not in text.split("三、互联网建设", 1)[0].split("发现问题", 1)[1]


def test_the_bulletin_says_what_is_wrong_without_the_figures():
    snap = with_certificate(["expired", "name_mismatch"])
    findings = audit_unit(snap, CONFIG, AS_OF)
    text = "\n".join(b.text for b in bulletin_blocks(findings, [snap], CONFIG, AS_OF))
    assert "县直部门有交通局（证书已过期、证书与域名不符），请尽快更换" in text
