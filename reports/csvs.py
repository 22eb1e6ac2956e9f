"""The run's CSV files: sites/<unit-id>.csv, findings.csv, offenders.csv, resolved.csv.

Every file is UTF-8 with a BOM (Excel and WPS on Chinese Windows guess GBK
without it) and comma-separated. Crawled text can start with `=` or `@`, which a
spreadsheet would evaluate, so such cells get a leading apostrophe; the rule is
reversible (`restore_cell`) so a later run reads back the exact subject.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from audits.checks import CHECKS
from audits.finding import FINDING_COLUMNS, Finding
from crawler.config import Config
from reports.files import write_atomically

CSV_ENCODING = "utf-8-sig"
OFFENDER_COLUMNS = ["check", "check_label", "unit_id", "unit", "kind", "findings"]

# A cell a spreadsheet would read as a formula, possibly already apostrophe-prefixed:
# prefixing those too keeps neutralise/restore an exact round trip.
_FORMULA_LIKE = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
_SAFE_UNIT_ID = re.compile(r"^[a-z0-9_-]+$")   # the config's rule for ids; ids name files


def neutralise_cell(value: object) -> object:
    if isinstance(value, str) and _FORMULA_LIKE.match(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    return value[1:] if _NEUTRALISED.match(value) else value


def write_csv(path: str | Path, frame: pd.DataFrame) -> Path:
    safe = frame.map(neutralise_cell) if len(frame) else frame
    # CRLF as RFC 4180 and Excel have it; it also makes the writer quote a cell holding a lone CR.
    return write_atomically(path, lambda tmp: safe.to_csv(tmp, index=False, encoding=CSV_ENCODING,
                                                          lineterminator="\r\n"))


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    return pd.DataFrame([f.as_row() for f in findings], columns=FINDING_COLUMNS, dtype=str)


def read_findings_csv(path: str | Path) -> list[Finding]:
    """Findings written by `write_csv`, cells restored to what the audits said."""
    frame = pd.read_csv(path, encoding=CSV_ENCODING, dtype=str, keep_default_na=False)
    return [Finding.from_row({k: restore_cell(v) for k, v in row.items()})
            for row in frame.to_dict("records")]


def unit_order(config: Config, snapshots: list[dict]) -> list[dict]:
    """The audited units ({id, name, kind}) in config order; units unknown to the config last."""
    position = {u.id: i for i, u in enumerate(config.units)}
    units = [s["unit"] for s in snapshots]
    return sorted(units, key=lambda u: (position.get(u["id"], len(position)), u["id"]))


def offenders_frame(findings: list[Finding], units: list[dict]) -> pd.DataFrame:
    """One row per (check, unit) with its count of findings, check order then unit order."""
    counts: dict[tuple[str, str], int] = {}
    for f in findings:
        counts[f.check, f.unit_id] = counts.get((f.check, f.unit_id), 0) + 1
    names = {f.unit_id: f.unit for f in findings}
    rows = []
    for check, (check_label, _) in CHECKS.items():
        for unit in units:
            if (check, unit["id"]) in counts:
                rows.append({"check": check, "check_label": check_label, "unit_id": unit["id"],
                             "unit": names.get(unit["id"], unit["name"]), "kind": unit["kind"],
                             "findings": str(counts[check, unit["id"]])})
    return pd.DataFrame(rows, columns=OFFENDER_COLUMNS, dtype=str)


def write_run_csvs(run_dir: str | Path, findings: list[Finding], units: list[dict],
                   resolved: list[Finding]) -> None:
    """Every CSV of the contract's "One run's outputs", plus resolved.csv."""
    run_dir = Path(run_dir)
    for unit in units:
        if not _SAFE_UNIT_ID.match(unit["id"]):
            raise ValueError(f"unit id {unit['id']!r} is not a safe file name")
        own = [f for f in findings if f.unit_id == unit["id"]]
        write_csv(run_dir / "sites" / f"{unit['id']}.csv", findings_frame(own))
    write_csv(run_dir / "findings.csv", findings_frame(findings))
    write_csv(run_dir / "offenders.csv", offenders_frame(findings, units))
    write_csv(run_dir / "resolved.csv", findings_frame(resolved))
