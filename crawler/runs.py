"""Run folders: `DISCLOSURE_OUT/<run-id>/` and the `latest` pointer.

A run folder is complete once `run.json` says so; `latest` only ever points at
a complete run, so a run that dies halfway leaves the previous `latest` intact.
"""
from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from crawler.files import write_text_atomically

CHINA = ZoneInfo("Asia/Shanghai")
RUN_ID_FORMAT = "%Y%m%d-%H%M%S"


def new_run_id(now: datetime | None = None) -> str:
    return (now or datetime.now(CHINA)).strftime(RUN_ID_FORMAT)


def run_info(run_dir: str | Path) -> dict:
    """The run's metadata (run.json), {} when it has none yet."""
    try:
        return json.loads(Path(run_dir, "run.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def write_run_info(run_dir: str | Path, **fields) -> dict:
    """Merge fields into run.json, atomically."""
    info = {**run_info(run_dir), **fields}
    write_text_atomically(Path(run_dir, "run.json"), json.dumps(info, ensure_ascii=False, indent=1, default=str))
    return info


def is_complete(run_dir: str | Path) -> bool:
    return bool(run_info(run_dir).get("complete"))


def complete_runs(out_dir: str | Path) -> list[Path]:
    """Complete run folders, oldest first."""
    out = Path(out_dir)
    if not out.is_dir():
        return []
    runs = [p for p in out.iterdir() if p.is_dir() and not p.is_symlink() and is_complete(p)]
    return sorted(runs, key=lambda p: p.name)


def previous_complete_run(run_dir: str | Path) -> Path | None:
    """The newest complete run before this one in the same output folder."""
    run_dir = Path(run_dir)
    earlier = [p for p in complete_runs(run_dir.parent) if p.name < run_dir.name]
    return earlier[-1] if earlier else None


def is_baseline(run_dir: str | Path) -> bool:
    """A complete run of all units that did not fail as a whole (run.json `baseline`, true for older runs):
    what `latest` points at and what a later run's new / persisting / resolved are judged against."""
    info = run_info(run_dir)
    return bool(info.get("complete")) and info.get("baseline", True) is not False


def previous_baseline_run(run_dir: str | Path) -> Path | None:
    """The newest baseline run before this one: a run limited with `-a units=` or one in which most
    units could not be fetched is skipped."""
    run_dir = Path(run_dir)
    earlier = [p for p in complete_runs(run_dir.parent) if p.name < run_dir.name and is_baseline(p)]
    return earlier[-1] if earlier else None


def point_latest(run_dir: str | Path) -> None:
    """Move `latest` to this run (atomically: a new symlink renamed over the old)."""
    run_dir = Path(run_dir)
    link = run_dir.parent / "latest"
    tmp = run_dir.parent / ".latest.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(run_dir.name, target_is_directory=True)
    os.replace(tmp, link)
