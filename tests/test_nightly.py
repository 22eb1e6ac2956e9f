"""Nightly operation: the lock, resuming an unfinished run, the deploy units."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler import nightly, runs

ROOT = Path(__file__).resolve().parent.parent

HOLD_LOCK = """
import sys, time
from pathlib import Path
from crawler.nightly import run_lock
with run_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def lock_holder(tmp_path):
    """Another process holding the nightly lock on tmp_path/out."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(out)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    yield out, proc
    proc.kill()
    proc.wait()


def test_a_second_run_exits_with_a_clear_message(lock_holder, capsys):
    out, holder = lock_holder
    assert nightly.main(["--out", str(out), "--config", "nowhere.toml"]) == nightly.EXIT_LOCKED
    message = capsys.readouterr().err
    assert "another run is in progress" in message and str(holder.pid) in message
    assert not any(p.is_dir() for p in out.iterdir()), "the second run must not start crawling"


def test_the_lock_dies_with_its_holder(lock_holder):
    out, holder = lock_holder
    holder.kill()
    holder.wait()
    with nightly.run_lock(out):
        pass


def make_run(out: Path, run_id: str, complete: bool, **info) -> Path:
    run_dir = out / run_id
    run_dir.mkdir(parents=True)
    runs.write_run_info(run_dir, complete=complete, **info)
    return run_dir


def test_only_a_run_newer_than_the_last_complete_one_is_resumed(tmp_path):
    make_run(tmp_path, "20110928-020000", complete=False)        # abandoned before a complete run
    make_run(tmp_path, "20110929-020000", complete=True)
    assert nightly.unfinished_run(tmp_path) is None
    died = make_run(tmp_path, "20110930-020000", complete=False, as_of="2011-09-30")
    assert nightly.unfinished_run(tmp_path) == died


def test_the_resumed_run_keeps_its_id_jobdir_and_date(tmp_path):
    died = make_run(tmp_path, "20110930-020000", complete=False, as_of="2011-09-30")
    args = nightly.parse_args(["--out", str(tmp_path), "--keep-runs", "7"])
    command = nightly.crawl_command(args, died)
    assert command[command.index("crawl") + 1] == "disclosure"
    settings = dict(command[i + 1].split("=", 1) for i, word in enumerate(command) if word == "-s")
    assert settings["DISCLOSURE_RUN_ID"] == "20110930-020000"
    assert settings["JOBDIR"] == str(died / nightly.JOBDIR_NAME)
    assert settings["DISCLOSURE_AS_OF"] == "2011-09-30"
    assert settings["DISCLOSURE_INCREMENTAL"] == "1" and settings["DISCLOSURE_KEEP_RUNS"] == "7"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_the_timer_fires_nightly():
    timer = (ROOT / "deploy/disclosure-auditor.timer").read_text(encoding="utf-8")
    calendar = next(line.split("=", 1)[1] for line in timer.splitlines() if line.startswith("OnCalendar="))
    answer = subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr
    service = (ROOT / "deploy/disclosure-auditor.service").read_text(encoding="utf-8")
    assert "-m crawler.nightly" in service
