"""Finding status across runs: new, persisting (same key in the previous run), '' on a first run."""
from __future__ import annotations

from audits.finding import Finding


def mark_status(findings: list[Finding], previous: list[Finding] | None) -> list[Finding]:
    if previous is None:
        for f in findings:
            f.status = ""
        return findings
    before = {f.key for f in previous}
    for f in findings:
        f.status = "persisting" if f.key in before else "new"
    return findings
