"""Audits: one module per check (or closely related group of checks).

Each module has `audit(snapshot, config, as_of) -> Iterable[Finding]`, a pure
function of the unit's snapshot (crawler/snapshot.py), the config and the date
that recency is judged against. `audit_run` runs them all over a run's
snapshots and fills `status` from the previous run's findings. `judge_units`
(audits/verdict.py) then gives each unit its verdict: 不合格 with the vetoes named,
else a score to rank by.
"""
from __future__ import annotations

import logging
from datetime import date

from audits import (certificate, columns, coverage, flowcharts, leader_info, leader_photos, links, mailbox,
                    reachability, site_group, site_stale)
from audits.checks import CHECKS, DECIDED_BY
from audits.common import content_was_read
from audits.finding import Finding
from audits.status import mark_status
from audits.verdict import judge_units

# Per-unit records (not findings): the verdict of each unit, from its snapshot and findings.
UNIT_RECORDS = (judge_units,)
from crawler.config import Config

# Judged whatever happened to the crawl: the site's reachability, where it is hosted, its certificate.
SITE_AUDITS = (reachability, site_group, certificate)
# Judged on what was read: silent when the site was blocked or unreachable.
CONTENT_AUDITS = (site_stale, columns, coverage, leader_photos, leader_info, flowcharts, mailbox, links)
CHECK_ORDER = {check: i for i, check in enumerate(CHECKS)}
log = logging.getLogger(__name__)


def audit_unit(snapshot: dict, config: Config, as_of: date,
               placeholders: frozenset[str] | None = None, failures: list[dict] | None = None) -> list[Finding]:
    """Every finding about one unit, in check order.

    `placeholders`: URLs of leader photos whose picture different people share
    across the run (audit_run passes them); by default only the unit's own leaders
    are compared. An audit module that raises loses only its own findings of this
    unit: one `ALERT:` line, and a record in `failures` (unit, module, the checks it decides, the
    error), which run.json keeps and report.html names.
    """
    modules = [*SITE_AUDITS, *(CONTENT_AUDITS if content_was_read(snapshot) else ())]
    findings: list[Finding] = []
    for module in modules:
        extra = (placeholders,) if module is leader_photos else ()
        try:
            findings.extend(module.audit(snapshot, config, as_of, *extra))
        except Exception as exc:        # one failing check never stops the others
            unit_id = snapshot["unit"].get("id")
            error = f"{type(exc).__name__}: {exc}"
            log.exception("ALERT: audit %s failed on unit %s: %s", module.__name__, unit_id, error)
            if failures is not None:
                failures.append({"unit_id": unit_id, "module": module.__name__, "error": error,
                                 "checks": [c for c, m in DECIDED_BY.items() if m == module.__name__]})
    return sorted(unique(findings), key=lambda f: CHECK_ORDER[f.check])


def audit_run(snapshots: list[dict], config: Config, as_of: date, previous: list[Finding] | None = None,
              run_id: str = "", failures: list[dict] | None = None) -> list[Finding]:
    """Every finding of a run, in check order then the config's unit order, with run_id and status."""
    placeholders = leader_photos.cross_unit_placeholders(snapshots, config)
    findings = [f for s in snapshots for f in audit_unit(s, config, as_of, placeholders, failures)]
    for f in findings:
        f.run_id = run_id
    unit_order = {u.id: i for i, u in enumerate(config.units)}
    findings.sort(key=lambda f: (CHECK_ORDER[f.check], unit_order.get(f.unit_id, len(unit_order))))
    return mark_status(findings, previous)


def unique(findings: list[Finding]) -> list[Finding]:
    """Drop repeats (the same problem reached twice by the crawl), keeping the first."""
    seen: set[tuple[str, ...]] = set()
    kept = []
    for f in findings:
        if (*f.key, f.url) not in seen:
            seen.add((*f.key, f.url))
            kept.append(f)
    return kept
