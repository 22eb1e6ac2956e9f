"""Running `scrapy crawl disclosure` against the served sandbox, as the tests do."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CRAWL_TIMEOUT = 900
# Settings of every test crawl: the sandbox's date, fast retries.
BASE_SETTINGS = {"DISCLOSURE_RETRY_BACKOFF": "0.05", "LOG_LEVEL": "INFO"}


def crawl_command(sandbox_web, out: Path, units: str = "", **settings) -> list[str]:
    settings = {"DISCLOSURE_CONFIG": str(sandbox_web.config_path), "DISCLOSURE_OUT": str(out),
                "DISCLOSURE_AS_OF": sandbox_web.manifest["as_of"], "HTTPCACHE_DIR": str(out / "httpcache"),
                **BASE_SETTINGS, **settings}
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure"]
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command + (["-a", f"units={units}"] if units else [])


def crawl(sandbox_web, out: Path, units: str = "", **settings) -> subprocess.CompletedProcess:
    done = subprocess.run(crawl_command(sandbox_web, out, units, **settings), cwd=REPO, capture_output=True,
                          text=True, timeout=CRAWL_TIMEOUT)
    assert done.returncode in (0, 3), done.stderr[-5000:]     # 3: monitoring raised an alert
    return done


def run_dirs(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and p.name[0].isdigit())
