"""Benchmark: writing every report of a province-sized run (about 1,000 units).

    .venv/bin/python -m bench.bench_reports [--copies 125]

Clones the report tests' hand-made county (8 units) `--copies` times under new
ids, then times each writer of `reports.run.write_reports` and prints the sizes
of what it wrote. No audit runs: the findings are the sample's, cloned.
"""
from __future__ import annotations

import argparse
import copy
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

from crawler.config import Unit
from reports.bulletin import write_bulletin
from reports.csvs import write_run_csvs
from reports.html import ReportData, write_report
from tests.reports_sample import sample_config, sample_findings, sample_snapshots

AS_OF = date(2011, 9, 30)


def province(copies: int):
    """Snapshots, findings and a config for `copies` clones of the sample county."""
    base_config, base_snapshots, base_findings = sample_config(), sample_snapshots(), sample_findings()
    units, snapshots, findings = [], [], []
    for n in range(copies):
        suffix = f"{n:03d}"
        units += [Unit(f"{u.id}{suffix}", f"{u.name}{suffix}", u.kind) for u in base_config.units]
        for snapshot in base_snapshots:
            clone = copy.deepcopy(snapshot)
            clone["unit"].update(id=clone["unit"]["id"] + suffix, name=clone["unit"]["name"] + suffix)
            snapshots.append(clone)
        findings += [replace(f, unit_id=f.unit_id + suffix, unit=f.unit + suffix) for f in base_findings]
    return replace(base_config, units=tuple(units)), snapshots, findings


def timed(label: str, action) -> None:
    started = time.perf_counter()
    action()
    print(f"{label:<12} {time.perf_counter() - started:7.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=125, help="clones of the 8-unit sample county")
    copies = parser.parse_args().copies
    config, snapshots, findings = province(copies)
    print(f"{len(snapshots)} units, {len(findings)} findings")
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = Path(tmp)
        units = [s["unit"] for s in snapshots]
        timed("csvs", lambda: write_run_csvs(run_dir, findings, units, []))
        timed("bulletin", lambda: write_bulletin(run_dir, findings, snapshots, config, AS_OF, "bench"))
        data = ReportData(config=config, as_of=AS_OF, run_id="bench", snapshots=snapshots, findings=findings,
                          resolved=[], previous_run_id=None)
        timed("report.html", lambda: write_report(run_dir / "report.html", data))
        for name in ("report.html", "bulletin.docx", "findings.csv"):
            print(f"{name:<14} {(run_dir / name).stat().st_size / 1e6:6.2f} MB")


if __name__ == "__main__":
    main()
