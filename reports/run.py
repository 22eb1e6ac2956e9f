"""The run's finishing step: audit the snapshots, write every output, mark the run complete.

The spider calls `finish_run` once its crawl is over; `scrapy audit RUN_DIR`
calls it again to redo a run's audits and reports from its stored snapshots.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import audits
from audits.finding import Finding
from audits.freshness import unit_freshness
from audits.verdict import UnitVerdict
from crawler.files import write_text_atomically
from crawler.config import Config
from crawler.evidence import read_index
from crawler.settings import DISCLOSURE_REPORT_EVIDENCE_BYTES as DEFAULT_EVIDENCE_BYTES
from crawler.monitoring import run_failed
from crawler.runs import CHINA, complete_runs, is_baseline, point_latest, previous_baseline_run, run_info, write_run_info
from crawler.snapshot import readable_snapshots
from reports.bulletin import write_bulletin
from reports.csvs import read_findings_csv, write_run_csvs
from reports.history import DEFAULT_KEEP_RUNS, apply_retention, resolved_findings
from reports.html import ReportData, RunTrust, write_report
from reports.workbooks import write_workbooks
from reports.trends import run_history
from reports.order import in_config_order

log = logging.getLogger(__name__)

# What finish_run writes into the run folder, for people and for `scrapy audit`'s summary.
OUTPUTS = ("report.html", "bulletin.md", "bulletin.docx", "findings.csv", "offenders.csv",
           "resolved.csv", "sites/", "workbooks/", "verdicts.json")     # (evidence/ is the crawl's)


def as_date(value: date | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def previous_findings(previous_run: Path | None) -> list[Finding] | None:
    """The previous complete run's findings; None when there is no usable previous run."""
    if previous_run is None:
        return None
    try:
        return read_findings_csv(previous_run / "findings.csv")
    except (OSError, ValueError, KeyError) as error:   # a damaged file must not stop this run
        log.warning("previous run %s: findings.csv unreadable (%s); statuses left empty", previous_run, error)
        return None


def write_reports(run_dir: str | Path, findings: list[Finding], snapshots: list[dict], config: Config,
                  as_of: date, run_id: str, previous: list[Finding] | None,
                  previous_run_id: str | None, verdicts: list[UnitVerdict] | None = None,
                  trust: RunTrust | None = None, evidence_budget: int | None = None) -> list[Finding]:
    """Every output of one run from its findings, verdicts and snapshots; returns the resolved findings.
    `evidence_budget`: bytes of evidence report.html embeds (DISCLOSURE_REPORT_EVIDENCE_BYTES)."""
    run_dir = Path(run_dir)
    snapshots = in_config_order(config, snapshots)
    if verdicts is None:
        verdicts = audits.judge_units(snapshots, findings, config, as_of)
    units = [s["unit"] for s in snapshots]
    resolved = resolved_findings(previous or [], findings, {u["id"] for u in units}, run_id)
    write_run_csvs(run_dir, findings, units, resolved)
    write_text_atomically(run_dir / "verdicts.json",
                          json.dumps([v.as_dict() for v in verdicts], ensure_ascii=False, indent=1))
    workbooks = write_workbooks(run_dir, findings, verdicts, snapshots, config, as_of, run_id)
    write_bulletin(run_dir, findings, snapshots, config, as_of, run_id, verdicts, failed=bool(trust and trust.failed))
    write_report(run_dir / "report.html",
                 ReportData(config=config, as_of=as_of, run_id=run_id, snapshots=snapshots, findings=findings,
                            resolved=resolved, previous_run_id=previous_run_id if previous is not None else None,
                            verdicts=verdicts, trust=trust or RunTrust(),
                            history=run_history(run_dir, config), workbooks=workbooks,
                            evidence=read_index(run_dir), evidence_dir=run_dir,
                            evidence_budget=DEFAULT_EVIDENCE_BYTES if evidence_budget is None else evidence_budget,
                            freshness={s["unit"]["id"]: unit_freshness(s, config, as_of) for s in snapshots}))
    return resolved


def _counts(findings: list[Finding], resolved: list[Finding], units: int) -> dict:
    statuses = Counter(f.status for f in findings)
    return {"units": units, "findings": len(findings), "new": statuses["new"],
            "persisting": statuses["persisting"], "resolved": len(resolved),
            "by_check": dict(Counter(f.check for f in findings))}


def _keep_runs(settings) -> int:
    """DISCLOSURE_KEEP_RUNS (checked to be a number before any command runs: crawler.config.check_settings)."""
    return DEFAULT_KEEP_RUNS if settings is None else int(settings.get("DISCLOSURE_KEEP_RUNS", DEFAULT_KEEP_RUNS))


def _evidence_budget(settings) -> int:
    """DISCLOSURE_REPORT_EVIDENCE_BYTES (checked to be a number by crawler.config.check_settings)."""
    if settings is None or settings.get("DISCLOSURE_REPORT_EVIDENCE_BYTES") is None:
        return DEFAULT_EVIDENCE_BYTES
    return int(settings.get("DISCLOSURE_REPORT_EVIDENCE_BYTES"))


def _is_newest_baseline(run_dir: Path) -> bool:
    return all(other.name <= run_dir.name for other in complete_runs(run_dir.parent) if is_baseline(other))


def limited_to(run_dir: Path, config: Config) -> list[str]:
    """The unit ids of a run limited with `-a units=` (run.json `units` short of the config's); [] for a full run."""
    units = run_info(run_dir).get("units")
    if not isinstance(units, list) or not {u.id for u in config.units} - set(units):
        return []
    return units


def finish_run(run_dir: str | Path, config: Config, as_of: date | str, settings=None,
               gather_evidence: Callable[[Path, list[Finding]], object] | None = None) -> list[Finding]:
    """Audit the run's snapshots, write its reports, mark it complete, move `latest`, prune old runs.

    `gather_evidence(run_dir, findings)`: the crawl's step that captures what the audits decided
    (crawler.evidence.take_screenshots), run between the audits and the reports; `scrapy audit`
    passes none and fetches nothing: its reports show the evidence the run already holds."""
    run_dir = Path(run_dir)
    as_of = as_date(as_of)
    run_id = run_info(run_dir).get("run_id") or run_dir.name
    snapshots, unreadable = readable_snapshots(run_dir)
    for line in unreadable:             # that unit is left out; the others are audited and reported
        log.error("ALERT: snapshot skipped: %s", line)
    previous_run = previous_baseline_run(run_dir)
    previous = previous_findings(previous_run)
    failures: list[dict] = []
    findings = audits.audit_run(snapshots, config, as_of, previous, run_id, failures)
    verdicts = audits.judge_units(in_config_order(config, snapshots), findings, config, as_of)
    limited, failed = bool(limited_to(run_dir, config)), run_failed(snapshots)
    if failed:
        log.warning("%d of %d units could not be fetched: this run failed as a whole and does not become "
                    "`latest`", sum(not s["reachability"].get("fetched") and not s["reachability"].get("blocked")
                                  for s in snapshots), len(snapshots))
    if gather_evidence is not None:
        gather_evidence(run_dir, findings)
    resolved = write_reports(run_dir, findings, snapshots, config, as_of, run_id, previous,
                             previous_run.name if previous_run else None, verdicts=verdicts,
                             trust=RunTrust(limited=limited, failed=failed, audit_failures=failures),
                             evidence_budget=_evidence_budget(settings))
    write_run_info(run_dir, complete=True, as_of=as_of.isoformat(), finished=datetime.now(CHINA).isoformat(),
                   previous_run=previous_run.name if previous_run else None,
                   baseline=not (limited or failed), limited=limited, failed=failed,
                   counts=_counts(findings, resolved, len(snapshots)), unreadable_snapshots=unreadable,
                   audit_failures=failures,
                   verdicts=dict(Counter(v.verdict for v in verdicts)))
    if not (limited or failed) and _is_newest_baseline(run_dir):   # never back to an old run, never a partial one
        point_latest(run_dir)
    for removed in apply_retention(run_dir.parent, _keep_runs(settings)):
        log.info("retention: removed old run folder %s", removed)
    return findings
