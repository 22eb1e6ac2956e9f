"""Nightly operation: the lock, resuming an unfinished run, the deploy units."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from crawler import monitoring, nightly, runs
from crawler.snapshot import empty_snapshot, write_snapshot
from tests.conftest import free_port
from tests.crawling import run_dirs

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
    command = nightly.crawl_command(args, died.name, resumed=True)
    assert command[command.index("crawl") + 1] == "disclosure"
    settings = dict(command[i + 1].split("=", 1) for i, word in enumerate(command) if word == "-s")
    assert settings["DISCLOSURE_RUN_ID"] == "20110930-020000"
    assert settings["JOBDIR"] == str(died / nightly.JOBDIR_NAME)
    assert settings["DISCLOSURE_AS_OF"] == "2011-09-30"
    assert settings["DISCLOSURE_INCREMENTAL"] == "1" and settings["DISCLOSURE_KEEP_RUNS"] == "7"


def test_a_hard_death_drops_the_stale_job_state_a_clean_stop_keeps_it(tmp_path):
    killed = make_run(tmp_path, "20110929-020000", complete=False)
    (killed / nightly.JOBDIR_NAME / "requests.queue").mkdir(parents=True)
    (killed / "partial").mkdir()
    (killed / "partial/a.jsonl").write_text("{}\n", encoding="utf-8")
    nightly.prepare_resume(killed)
    assert not (killed / nightly.JOBDIR_NAME).exists() and not (killed / "partial").exists()

    stopped = make_run(tmp_path, "20110930-020000", complete=False)
    (stopped / nightly.JOBDIR_NAME / "requests.queue").mkdir(parents=True)
    nightly.note_clean_stop(stopped, exit_code=0)
    nightly.prepare_resume(stopped)
    assert (stopped / nightly.JOBDIR_NAME / "requests.queue").is_dir()
    assert not (stopped / nightly.JOBDIR_NAME / nightly.CLEAN_STOP).exists(), "a marker is good for one resume"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed")
def test_the_timer_fires_nightly():
    timer = (ROOT / "deploy/disclosure-auditor.timer").read_text(encoding="utf-8")
    calendar = next(line.split("=", 1)[1] for line in timer.splitlines() if line.startswith("OnCalendar="))
    answer = subprocess.run(["systemd-analyze", "calendar", calendar], capture_output=True, text=True)
    assert answer.returncode == 0, answer.stderr
    service = (ROOT / "deploy/disclosure-auditor.service").read_text(encoding="utf-8")
    assert "-m crawler.nightly" in service


# --- monitoring ---------------------------------------------------------------------

def snapshot_of(unit_id: str, entries: int = 0, fetched: bool = True, blocked=None,
                pages: int = 10, errors: dict | None = None) -> dict:
    snapshot = empty_snapshot(unit_id, f"单位{unit_id}", "县直部门")
    snapshot["reachability"].update(fetched=fetched, blocked=blocked, pages=pages, errors=errors or {})
    if entries:
        snapshot["columns"].append({"name": "工作动态", "url": f"http://{unit_id}/gzdt/",
                                    "entries": [{"title": "t", "url": f"http://{unit_id}/t{i}.html"}
                                                for i in range(entries)], "entry_count": entries})
    return snapshot


def test_summary_counts_units_pages_and_errors():
    summary = monitoring.summarize([
        snapshot_of("a", entries=3, pages=30, errors={"http_404": 2}),
        snapshot_of("b", fetched=False, pages=0, errors={"refused": 3}),
        snapshot_of("c", fetched=False, blocked="robots", pages=1),
        {**snapshot_of("d", entries=1, pages=5), "crawl": {"reused_from": "20110929-020000"},
         "unread": [{"kind": "list", "url": "http://d/x/", "why": "timeout", "column_url": "http://d/x/"}]},
    ], duration=12.34)
    assert summary == {"units": 4, "units_with_data": 2, "unchanged": 1, "unreachable": 1, "blocked": 1,
                       "not_fully_audited": 1, "pages": 36, "bytes": 0, "errors": 5, "error_rate": round(5 / 41, 4),
                       "rendered": 0, "duration_s": 12.3}


def test_alert_when_a_unit_stops_yielding_data():
    previous = [snapshot_of("a", entries=3), snapshot_of("b", entries=0), snapshot_of("c", entries=1)]
    now = [snapshot_of("a", fetched=False, pages=0), snapshot_of("b"), snapshot_of("c", entries=1)]
    found = monitoring.alerts(now, previous, monitoring.summarize(now, 1), max_error_rate=0.5)
    assert len(found) == 1 and "单位a (a)" in found[0]


def test_alert_when_the_error_rate_passes_the_threshold():
    now = [snapshot_of("a", entries=1, pages=70, errors={"timeout": 30})]
    summary = monitoring.summarize(now, 1)
    assert monitoring.alerts(now, [], summary, max_error_rate=0.35) == []
    assert "30%" in monitoring.alerts(now, [], summary, max_error_rate=0.25)[0]


def test_report_run_writes_the_summary_into_run_json(tmp_path, caplog):
    previous = make_run(tmp_path, "20110929-020000", complete=True)
    write_snapshot(previous / "snapshots/a.json", snapshot_of("a", entries=2))
    now = make_run(tmp_path, "20110930-020000", complete=False)
    write_snapshot(now / "snapshots/a.json", snapshot_of("a", fetched=False, pages=0))
    write_snapshot(now / "snapshots/b.json", snapshot_of("b", entries=2))   # read: not a run that read nothing
    summary, found = monitoring.report_run(now, duration=5, max_error_rate=0.2)
    info = runs.run_info(now)
    assert info["summary"] == summary and info["alerts"] == found and len(found) == 1
    assert any(r.getMessage().startswith("ALERT: 单位a") for r in caplog.records)


# --- against the sandbox: a killed run, its resumption, an alert --------------------------

def calm_units(manifest: dict, count: int) -> list[str]:
    return [u["id"] for u in manifest["units"] if not u["hostile"] and u["own_site"]][:count]


def subset_config(sandbox_web, units: list[str], path: Path) -> Path:
    """The sandbox's config with only these units (and no portal): a county of a few units whose
    every run is a full one (a run limited with --units never becomes `latest`, CONTRACT.md)."""
    head, *blocks = sandbox_web.config_path.read_text(encoding="utf-8").split("\n[[units]]")
    head = "\n".join(line for line in head.splitlines() if not line.startswith("portal ="))
    kept = [b for b in blocks if any(f'id = "{u}"' in b.split("\n", 2)[1] for u in units)]
    path.write_text(head + "".join("\n[[units]]" + b for b in kept) + "\n", encoding="utf-8")
    return path


def nightly_command(sandbox_web, out: Path, units: list[str], config: Path | None = None) -> list[str]:
    config = config or subset_config(sandbox_web, units, out.parent / "units.toml")
    return [sys.executable, "-m", "crawler.nightly", "--config", str(config),
            "--out", str(out), "--as-of", sandbox_web.manifest["as_of"],
            "-s", f"HTTPCACHE_DIR={out.parent / 'httpcache'}", "-s", "CONCURRENT_REQUESTS=2"]


def first_night(sandbox_web, out: Path, units: list[str]) -> Path:
    """A first complete nightly run of these units; its folder."""
    first = subprocess.run(nightly_command(sandbox_web, out, units), cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-3000:]
    (complete,) = run_dirs(out)
    assert (out / "latest").resolve() == complete.resolve()
    return complete


@pytest.mark.timeout(300)
def test_a_killed_run_leaves_latest_and_is_resumed(sandbox_web, tmp_path):
    out = tmp_path / "runs"
    units = calm_units(sandbox_web.manifest, 3)
    complete = first_night(sandbox_web, out, units)

    # every unit crawled in full (not kept from the first night), so the run lasts long enough to be killed
    again = nightly_command(sandbox_web, out, units) + ["-s", "DISCLOSURE_REUSE_UNCHANGED=0"]
    dying = subprocess.Popen(again, cwd=ROOT, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not [p for p in run_dirs(out)[1:] if any((p / "snapshots").glob("*.json"))]:
        assert dying.poll() is None and time.monotonic() < deadline, "the second run ended before it was killed"
        time.sleep(0.05)
    os.killpg(dying.pid, signal.SIGKILL)       # power loss: the nightly wrapper and the crawl at once
    dying.wait()
    killed = run_dirs(out)[1]
    assert not runs.is_complete(killed)
    assert (out / "latest").resolve() == complete.resolve(), "a dead run must not move latest"
    survived = {p.stem for p in (killed / "snapshots").glob("*.json")}

    resumed = subprocess.run(again, cwd=ROOT, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert f"resuming the unfinished run {killed}" in resumed.stdout
    assert run_dirs(out) == [complete, killed], "the resumed run continues its own folder"
    assert runs.is_complete(killed) and (out / "latest").resolve() == killed.resolve()
    assert {p.stem for p in (killed / "snapshots").glob("*.json")} == set(units)
    assert not (killed / nightly.JOBDIR_NAME).exists()
    names = {u["id"]: u["name"] for u in sandbox_web.manifest["units"]}
    crawled_again = units_crawled(resumed.stderr)
    assert crawled_again and not crawled_again & {names[u] for u in survived}, \
        "units finished before the kill are not crawled again"


def units_crawled(log: str) -> set[str]:
    """Names of the units a crawl log says it finished ('unit 2/3 done: 高坪镇 pages=…')."""
    return {line.split(" done: ", 1)[1].split()[0] for line in log.splitlines() if " done: " in line}


@pytest.mark.timeout(300)
def test_a_unit_gone_silent_raises_an_alert_and_a_failing_exit(sandbox_web, tmp_path):
    out = tmp_path / "runs"
    units = calm_units(sandbox_web.manifest, 2)
    first_night(sandbox_web, out, units)
    silent = units[0]
    moved = tmp_path / "moved.toml"        # the unit's site now answers nothing
    entry = next(u["entry_url"] for u in sandbox_web.manifest["units"] if u["id"] == silent)
    nobody = f"http://127.0.0.1:{free_port()}/"
    subset = subset_config(sandbox_web, units, tmp_path / "units.toml")
    moved.write_text(subset.read_text(encoding="utf-8").replace(f'"{entry}"', f'"{nobody}"'), encoding="utf-8")
    second = subprocess.run(nightly_command(sandbox_web, out, units, config=moved), cwd=ROOT,
                            capture_output=True, text=True)
    assert second.returncode == monitoring.EXIT_ALERT, second.stderr[-3000:]
    alerts = [line for line in second.stderr.splitlines() if "ALERT:" in line]
    assert len(alerts) == 1 and f"({silent})" in alerts[0]
    latest = (out / "latest").resolve()
    assert runs.run_info(latest)["alerts"] and runs.run_info(latest)["summary"]["unreachable"] == 1


# --- the nightly cache policy ------------------------------------------------------------

def cached(status: int = 200, age_days: float = 1.0) -> HtmlResponse:
    fetched = formatdate(time.time() - age_days * 86400, usegmt=True)
    return HtmlResponse("http://127.0.0.1/a.html", status=status, body=b"<html></html>",
                        headers={"Date": fetched, "ETag": '"x"'})


@pytest.mark.parametrize("handler, status, age_days, fresh", [
    ("detail", 200, 1, True),        # an article that opened yesterday: no request tonight
    ("image", 200, 6.9, True),
    ("detail", 200, 8, False),       # a week old: revalidated
    ("detail", 404, 1, False),       # broken things are checked again every night
    ("list", 200, 1, False),         # lists are where news appears: revalidated every night
    ("entry", 200, 0.01, False),
])
def test_the_nightly_cache_policy_revalidates_lists_not_fresh_content(handler, status, age_days, fresh):
    policy = nightly.NightlyCachePolicy(Settings({"DISCLOSURE_CONTENT_MAX_AGE_DAYS": 7}))
    request = Request("http://127.0.0.1/a.html", meta={"handler": handler},
                      headers={"Cache-Control": "max-age=0"})
    assert policy.is_cached_response_fresh(cached(status, age_days), request) is fresh
    if not fresh:
        assert request.headers.get("If-None-Match") == b'"x"', "a stale page is asked for conditionally"
