"""Running `scrapy crawl disclosure` against the served sandbox, as the tests do."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CRAWL_TIMEOUT = 900
# Settings of every test crawl: the sandbox's date, fast retries, no page screenshots after the
# audits (a minute of Chromium per sandbox crawl; tests/test_evidence.py takes them).
BASE_SETTINGS = {"DISCLOSURE_RETRY_BACKOFF": "0.05", "LOG_LEVEL": "INFO", "DISCLOSURE_EVIDENCE_SCREENSHOTS": "0"}


def crawl_command(sandbox_web, out: Path, units: str = "", **settings) -> list[str]:
    settings = {"DISCLOSURE_CONFIG": str(sandbox_web.config_path), "DISCLOSURE_OUT": str(out),
                "DISCLOSURE_AS_OF": sandbox_web.manifest["as_of"], "HTTPCACHE_DIR": str(out / "httpcache"),
                **BASE_SETTINGS, **trusted_ca(sandbox_web), **settings}
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command + (["-a", f"units={units}"] if units else [])


def trusted_ca(sandbox_web) -> dict:
    """The sandbox's CA trusted, as a client told of it would (its HTTPS sites' certificates are
    made at start): the valid one then has no problem at all, the bad ones only theirs."""
    ca_path = getattr(sandbox_web, "ca_path", None)
    return {"DISCLOSURE_TRUSTED_CA": str(ca_path)} if ca_path and ca_path.exists() else {}


def crawl(sandbox_web, out: Path, units: str = "", **settings) -> subprocess.CompletedProcess:
    done = subprocess.run(crawl_command(sandbox_web, out, units, **settings), cwd=REPO, capture_output=True,
                          text=True, timeout=CRAWL_TIMEOUT)
    assert done.returncode in (0, 3), done.stderr[-5000:]     # 3: monitoring raised an alert
    return done


def run_dirs(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and p.name[0].isdigit())
