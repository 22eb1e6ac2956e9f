"""A finding: one flat record per problem, with the contract's field names."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from audits.checks import CHECKS

# The header of sites/*.csv and findings.csv, in the contract's order.
FINDING_COLUMNS = ["run_id", "unit_id", "unit", "check", "check_label", "severity", "column",
                   "subject", "url", "observed", "expected", "message", "status"]


@dataclass
class Finding:
    unit_id: str
    unit: str
    check: str
    message: str                 # one Chinese sentence a coordinator can act on
    column: str = ""             # reference layout name ('' for unit-wide findings)
    subject: str = ""            # leader name, flowchart title, letter title, link text
    url: str = ""                # where a person sees the problem
    observed: str = ""           # short and plain: "96x128", "2011-03-02"
    expected: str = ""           # ">= 150x200", ">= 2011-09-16"
    severity: str = ""           # defaults to the check's
    status: str = ""             # new | persisting | '' on a first run
    run_id: str = ""

    def __post_init__(self):
        if self.check not in CHECKS:
            raise ValueError(f"unknown check id {self.check!r}")
        if not self.severity:
            self.severity = CHECKS[self.check][1]

    @property
    def check_label(self) -> str:
        return CHECKS[self.check][0]

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes a finding the same one across runs (for status new/persisting)."""
        return (self.unit_id, self.check, self.column, self.subject)

    def as_row(self) -> dict[str, str]:
        row = asdict(self)
        row["check_label"] = self.check_label
        return {c: row[c] for c in FINDING_COLUMNS}

    @classmethod
    def from_row(cls, row: dict) -> "Finding":
        names = {f.name for f in fields(cls)}
        return cls(**{k: ("" if v is None else str(v)) for k, v in row.items() if k in names})
