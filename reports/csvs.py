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
from crawler.files import write_atomically

CSV_ENCODING = "utf-8-sig"
OFFENDER_COLUMNS = ["check", "check_label", "unit_id", "unit", "kind", "findings"]

# A cell a spreadsheet would read as a formula, possibly already apostrophe-prefixed:
# prefixing those too keeps neutralise/restore an exact round trip.
_FORMULA_LIKE = re.compile(r"^'*[=+\-@\t\r]")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")
_SAFE_UNIT_ID = re.compile(r"[a-z0-9_-]+")   # the config's rule for ids; ids name files


def neutralise_cell(value: object) -> object:
    if isinstance(value, str) and _FORMULA_LIKE.match(value):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    return value[1:] if _NEUTRALISED.match(value) else value


def write_csv(path: str | Path, rows: list[dict[str, str]], columns: list[str]) -> Path:
    """Rows (dicts keyed by column) as a CSV with exactly `columns`, formula-like cells neutralised."""
    safe = pd.DataFrame([{k: neutralise_cell(v) for k, v in row.items()} for row in rows],
                        columns=columns, dtype=str)
    # CRLF as RFC 4180 and Excel have it; it also makes the writer quote a cell holding a lone CR.
    return write_atomically(path, lambda tmp: safe.to_csv(tmp, index=False, encoding=CSV_ENCODING,
                                                          lineterminator="\r\n"))


def write_findings_csv(path: str | Path, findings: Iterable[Finding]) -> Path:
    return write_csv(path, [f.as_row() for f in findings], FINDING_COLUMNS)


def read_findings_csv(path: str | Path) -> list[Finding]:
    """Findings written by `write_csv`, cells restored to what the audits said."""
    frame = pd.read_csv(path, encoding=CSV_ENCODING, dtype=str, keep_default_na=False)
    return [Finding.from_row({k: restore_cell(v) for k, v in row.items()})
            for row in frame.to_dict("records")]


def offender_rows(findings: list[Finding], units: list[dict]) -> list[dict[str, str]]:
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
    return rows


def write_run_csvs(run_dir: str | Path, findings: list[Finding], units: list[dict],
                   resolved: list[Finding]) -> None:
    """Every CSV of the contract's "One run's outputs", plus resolved.csv."""
    run_dir = Path(run_dir)
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        by_unit.setdefault(f.unit_id, []).append(f)
    for unit in units:
        if not _SAFE_UNIT_ID.fullmatch(unit["id"]):
            raise ValueError(f"unit id {unit['id']!r} is not a safe file name")
        write_findings_csv(run_dir / "sites" / f"{unit['id']}.csv", by_unit.get(unit["id"], []))
    write_findings_csv(run_dir / "findings.csv", findings)
    write_csv(run_dir / "offenders.csv", offender_rows(findings, units), OFFENDER_COLUMNS)
    write_findings_csv(run_dir / "resolved.csv", resolved)
