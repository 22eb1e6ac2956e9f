"""Run history: what a run resolved since the previous complete run, and retention.

`status` (new / persisting) is the audits' job (`audits.audit_run` given the
previous findings); this module adds the other direction, the findings of the
previous run that are gone now, and removes old run folders.
"""
from __future__ import annotations

import shutil
import time
from datetime import datetime
from pathlib import Path

from audits.finding import Finding
from crawler import settings as project_defaults
from crawler.runs import CHINA, RUN_ID_FORMAT, complete_runs, is_complete

DEFAULT_KEEP_RUNS = project_defaults.DISCLOSURE_KEEP_RUNS
# An incomplete run younger than this may still be crawling: never touch it.
INCOMPLETE_GRACE_SECONDS = 24 * 3600

# A unit whose site could not be read this time proves nothing about its old findings.
UNVERIFIABLE_CHECKS = {"site_unreachable", "site_blocked"}


def resolved_findings(previous: list[Finding], current: list[Finding],
                      audited_unit_ids: set[str], run_id: str) -> list[Finding]:
    """Findings of the previous run absent from this one, for units this run could judge."""
    current_keys = {f.key for f in current}
    unverifiable = {f.unit_id for f in current if f.check in UNVERIFIABLE_CHECKS}
    resolved = []
    for old in previous:
        if old.unit_id not in audited_unit_ids or old.unit_id in unverifiable:
            continue
        if old.key not in current_keys:
            resolved.append(Finding(**{**vars(old), "status": "resolved", "run_id": run_id}))
    return resolved


def _run_started(run_dir: Path) -> float | None:
    """The run's start (from its id) as a POSIX time; None for folders that are not runs."""
    try:
        return datetime.strptime(run_dir.name, RUN_ID_FORMAT).replace(tzinfo=CHINA).timestamp()
    except ValueError:
        return None


def _last_activity(run_dir: Path) -> float:
    started = _run_started(run_dir) or 0.0
    touched = [p.stat().st_mtime for p in (run_dir, run_dir / "snapshots", run_dir / "run.json")
               if p.exists()]
    return max([started, *touched])


def runs_to_delete(out_dir: str | Path, keep: int, now: float | None = None) -> list[Path]:
    """Complete runs beyond the newest `keep` (0: keep all), and incomplete runs idle for a day.

    Never the target of `latest`, never a folder whose name is not a run id.
    """
    out = Path(out_dir)
    if not out.is_dir():
        return []
    now = time.time() if now is None else now
    latest = (out / "latest").resolve() if (out / "latest").is_symlink() else None
    complete = [run for run in complete_runs(out) if _run_started(run) is not None]
    doomed = complete[:-keep] if keep > 0 else []
    for run in sorted(out.iterdir()):
        if (run.is_dir() and not run.is_symlink() and _run_started(run) is not None
                and not is_complete(run)
                and now - _last_activity(run) > INCOMPLETE_GRACE_SECONDS):
            doomed.append(run)
    return [run for run in doomed if run.resolve() != latest]


def apply_retention(out_dir: str | Path, keep: int = DEFAULT_KEEP_RUNS,
                    now: float | None = None) -> list[Path]:
    """Delete the folders `runs_to_delete` names; return them."""
    doomed = runs_to_delete(out_dir, keep, now)
    for run in doomed:
        shutil.rmtree(run)
    return doomed
