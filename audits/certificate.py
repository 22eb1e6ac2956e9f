"""site_certificate_invalid: the unit's own site serves HTTPS on a certificate a browser warns about.

From the facts the crawl recorded of the entry page's certificate (crawler/certificates.py,
`reachability.certificate`), measured on the day of the crawl: self-signed, expired, not yet
valid, or issued for another name. The content is audited all the same (the crawl went past
the warning, as a person clicking through it would). An issuer that is merely unknown
(`untrusted`) is not judged alone: the crawl sees only the leaf certificate, and a server
sending an intermediate CA's chain looks the same. Units hosted on the portal are not judged
(the portal's certificate is the portal unit's finding). Judged whatever else happened to the
crawl, like site_not_unified.
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from audits.common import finding
from audits.finding import Finding
from crawler.config import Config

JUDGED = ("self_signed", "expired", "not_yet_valid", "name_mismatch")


def describe(certificate: dict, host: str) -> list[str]:
    """What is wrong, in plain Chinese, one phrase per problem judged."""
    problems = certificate.get("problems") or []
    said = []
    if "self_signed" in problems:
        said.append("自签名证书")
    if "expired" in problems:
        said.append(f"证书已过期（{certificate.get('not_after') or '日期不明'}）")
    if "not_yet_valid" in problems:
        said.append(f"证书尚未生效（{certificate.get('not_before') or '日期不明'}）")
    if "name_mismatch" in problems:
        names = "、".join(certificate.get("names") or []) or "无"
        said.append(f"证书与域名不符（证书为{names}，网站为{host}）")
    return said


def audit(snapshot: dict, config: Config, as_of: date) -> Iterator[Finding]:
    unit = snapshot["unit"]
    certificate = snapshot["reachability"].get("certificate") or {}
    if not unit.get("own_site") or not any(p in JUDGED for p in certificate.get("problems") or []):
        return
    url = unit.get("entry_url") or ""
    host = (unit.get("host") or "").rsplit(":", 1)[0] or url
    observed = "；".join(describe(certificate, host))
    yield finding(snapshot, "site_certificate_invalid",
                  f"{unit['name']}网站的HTTPS证书无效：{observed}。浏览器访问时会提示不安全，"
                  f"请更换为受信任机构签发、在有效期内、与网站域名相符的证书。",
                  url=url, observed=observed, expected="有效证书")
