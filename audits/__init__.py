"""Audits: one module per check (or closely related group of checks).

Each module has `audit(snapshot, config, as_of) -> Iterable[Finding]`, a pure
function of the unit's snapshot (crawler/snapshot.py), the config and the date
that recency is judged against. `audit_run` runs them all over a run's
snapshots and fills `status` from the previous run's findings.
"""
