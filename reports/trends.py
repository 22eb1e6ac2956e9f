"""Trends across the last runs: problems per check and per unit, read back from earlier run folders.

Only baseline runs count (complete, of all units, not failed as a whole: crawler/runs.py), so an
on-demand run of two units never shows as a sudden drop. Each run's figures are what it
recorded itself: run.json `counts.by_check` and verdicts.json.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from crawler.config import Config
from crawler.runs import complete_runs, is_baseline, run_info

SHOWN_RUNS = 6


@dataclass
class PastRun:
    run_id: str
    as_of: str
    by_check: dict[str, int] = field(default_factory=dict)
    by_unit: dict[str, int] = field(default_factory=dict)       # unit id -> problems (once-per-unit counted once)
    verdicts: dict[str, str] = field(default_factory=dict)      # unit id -> 合格 / 不合格 / 无法评定


def _read_run(run_dir: Path) -> PastRun:
    info = run_info(run_dir)
    past = PastRun(run_id=info.get("run_id") or run_dir.name, as_of=str(info.get("as_of") or ""),
                   by_check=dict((info.get("counts") or {}).get("by_check") or {}))
    try:
        records = json.loads((run_dir / "verdicts.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        records = []
    for record in records if isinstance(records, list) else []:
        if isinstance(record, dict) and "unit_id" in record:
            past.by_unit[record["unit_id"]] = int(record.get("problems") or 0)
            past.verdicts[record["unit_id"]] = str(record.get("verdict") or "")
    return past


def run_history(run_dir: str | Path, config: Config, shown: int = SHOWN_RUNS) -> list[PastRun]:
    """The last `shown - 1` baseline runs before this one, oldest first (this run is added by the report)."""
    run_dir = Path(run_dir)
    earlier = [p for p in complete_runs(run_dir.parent) if p.name < run_dir.name and is_baseline(p)]
    return [_read_run(p) for p in earlier[-(shown - 1):]] if shown > 1 else []
