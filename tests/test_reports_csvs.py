"""The run's CSVs, read back with pandas and converted by a real LibreOffice."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date

import openpyxl
import pandas as pd
import pytest

from audits.finding import FINDING_COLUMNS
from crawler.snapshot import read_snapshots
from reports.csvs import OFFENDER_COLUMNS, neutralise_cell, read_findings_csv, restore_cell
from reports.run import write_reports
from tests.reports_sample import UNITS, sample_config, sample_findings, write_sample_run

FORMULAS = ["=1+1", "+1", "-2", "@SUM(1;2)", "\t=1+1", "\r=1+1", "'=1+1"]
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def run_dir(tmp_path):
    run_dir = write_sample_run(tmp_path)
    findings = sample_findings()
    # formula-looking text in every kind of crawled field
    findings += [replace(findings[0], subject=text, observed=text, url=f"http://x.invalid/{i}")
                 for i, text in enumerate(FORMULAS)]
    write_reports(run_dir, findings, read_snapshots(run_dir), sample_config(), date(2011, 9, 30),
                  run_dir.name, None, None)
    return run_dir


def read(path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_findings_csv_has_bom_exact_header_and_chinese(run_dir):
    raw = (run_dir / "findings.csv").read_bytes()
    assert raw.startswith(BOM)
    assert raw[len(BOM):].split(b"\r\n")[0].decode().strip() == ",".join(FINDING_COLUMNS)
    frame = read(run_dir / "findings.csv")
    assert list(frame.columns) == FINDING_COLUMNS
    assert "茅田乡" in set(frame["unit"])
    assert "信息陈旧" in set(frame["check_label"])
    assert len(frame) == len(sample_findings()) + len(FORMULAS)


def test_every_audited_unit_gets_its_csv_header_only_when_clean(run_dir):
    assert sorted(p.stem for p in (run_dir / "sites").glob("*.csv")) == sorted(u.id for u in UNITS)
    clean = (run_dir / "sites" / "xinfang.csv").read_bytes()
    assert clean == BOM + (",".join(FINDING_COLUMNS) + "\r\n").encode()
    own = read(run_dir / "sites" / "guoshui.csv")
    assert set(own["unit"]) == {"国税局"} and len(own) == 2


def test_offenders_in_check_order_then_config_order(run_dir):
    frame = read(run_dir / "offenders.csv")
    assert list(frame.columns) == OFFENDER_COLUMNS
    rows = list(zip(frame["check"], frame["unit"], frame["kind"], frame["findings"]))
    assert rows[:3] == [("site_unreachable", "业州镇", "乡镇", str(1 + len(FORMULAS))),
                        ("site_stale", "茅田乡", "乡镇", "1"), ("coverage_narrow", "长梁乡", "乡镇", "1")]
    assert ("leader_photo_missing", "国税局", "县直部门", "1") in rows
    assert rows[-1] == ("site_not_unified", "地税局", "县直部门", "1")


def test_formula_cells_are_neutralised_and_read_back_exactly(run_dir):
    frame = read(run_dir / "findings.csv")
    for text in FORMULAS:
        assert "'" + text in set(frame["subject"])
    assert "'=HYPERLINK(\"http://evil\")" in set(frame["subject"])
    subjects = {f.subject for f in read_findings_csv(run_dir / "findings.csv")}
    assert set(FORMULAS) <= subjects and "=HYPERLINK(\"http://evil\")" in subjects


@pytest.mark.parametrize("text", ["", "plain", "中文", "a=b", "'", "''=x", *FORMULAS])
def test_neutralise_then_restore_is_the_identity(text):
    assert restore_cell(neutralise_cell(text)) == text
    assert str(neutralise_cell(text))[:1] not in {"=", "+", "-", "@", "\t", "\r"}


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed (scripts/install-system-deps.sh)")
def test_libreoffice_reads_chinese_and_evaluates_no_formula(run_dir, tmp_path):
    control = tmp_path / "control.csv"          # the same cell un-neutralised: LibreOffice does evaluate it
    control.write_bytes(BOM + "a,b\n=1+1,中文\n".encode())
    out = tmp_path / "xlsx"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(out),
                    str(run_dir / "findings.csv"), str(run_dir / "offenders.csv"), str(control)],
                   check=True, capture_output=True, timeout=120)
    control_cells = [c for row in openpyxl.load_workbook(out / "control.xlsx").active.iter_rows() for c in row]
    assert any(c.data_type == "f" for c in control_cells)
    for name in ("findings", "offenders"):
        sheet = openpyxl.load_workbook(out / f"{name}.xlsx").active
        cells = [c for row in sheet.iter_rows() for c in row]
        assert not [c.value for c in cells if c.data_type == "f"]
        values = {str(c.value) for c in cells}
        assert {"茅田乡", "国税局"} <= values
    header = [c.value for c in next(openpyxl.load_workbook(out / "findings.xlsx").active.iter_rows())]
    assert header == FINDING_COLUMNS


@pytest.mark.parametrize("unit_id", ["../escape", "a/b", "ok\n", "大"])
def test_unit_ids_that_are_not_file_names_are_refused(tmp_path, unit_id):
    from reports.csvs import write_run_csvs
    with pytest.raises(ValueError):
        write_run_csvs(tmp_path, [], [{"id": unit_id, "name": "某单位", "kind": "乡镇"}], [])
    assert not list(tmp_path.rglob("*.csv"))
