"""Audit accuracy: a run's findings.csv scored against the sandbox manifest's planted defects.

    python -m sandbox.score_findings RUN_DIR [--manifest var/sandbox-manifest.json] [--target 0.98]

Precision and recall per check id at two levels:
- unit level: the set of (unit, check) pairs;
- item level: (unit, check, item), the item being what the manifest docstring says
  a defect is one of: the column for column_* checks, the subject (leader, workflow
  item, letter, link text) for the others that have one, nothing for unit-wide checks.
  Items are counted as a multiset: two letters with the same title are two items.
Text is compared as a person reads it (width forms and spaces do not count).

The units scored are those of the run (run.json "units"), all manifest units
otherwise. Then item-level P/R/F1 over all checks, overall and per template family.
Exits 1 when any check falls below the target at either level.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from audits.checks import CHECKS
from crawler.runs import run_info
from reports.csvs import read_findings_csv

COLUMN_CHECKS = ("column_missing", "column_empty", "column_stale")
SUBJECT_CHECKS = ("leader_photo_missing", "leader_photo_broken", "leader_photo_low_quality",
                  "leader_info_outdated", "flowchart_missing", "flowchart_broken", "flowchart_unclear",
                  "flowchart_attachment", "mailbox_backlog", "link_broken")

Item = tuple[str, str, str]   # (unit id, check, item key)


def item_key(check: str, column: str, subject: str) -> str:
    if check in COLUMN_CHECKS:
        return normalised(column)
    if check in SUBJECT_CHECKS:
        return normalised(subject)
    return ""


def normalised(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


@dataclass
class Level:
    """Agreement of found and expected items at one level, for one check."""
    found: int
    expected: int
    matched: int

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    def meets(self, target: float) -> bool:
        return self.precision >= target and self.recall >= target


def compare(found: Counter, expected: Counter) -> Level:
    return Level(sum(found.values()), sum(expected.values()), sum((found & expected).values()))


def score(found: list[Item], expected: list[Item]) -> dict[str, tuple[Level, Level]]:
    """check -> (unit level, item level), for every check found or expected, in check order."""
    scores = {}
    for check in CHECKS:
        items_found = Counter(i for i in found if i[1] == check)
        items_expected = Counter(i for i in expected if i[1] == check)
        if not items_found and not items_expected:
            continue
        units_found = Counter(set((unit, check) for unit, _, _ in items_found))
        units_expected = Counter(set((unit, check) for unit, _, _ in items_expected))
        scores[check] = (compare(units_found, units_expected), compare(items_found, items_expected))
    return scores


def expected_items(manifest: dict, units: set[str]) -> list[Item]:
    return [(d["unit_id"], d["check"], item_key(d["check"], d.get("column", ""), d.get("subject", "")))
            for d in manifest["defects"] if d["unit_id"] in units]


def found_items(run_dir: Path, units: set[str]) -> list[Item]:
    return [(f.unit_id, f.check, item_key(f.check, f.column, f.subject))
            for f in read_findings_csv(run_dir / "findings.csv") if f.unit_id in units]


def scored_units(run_dir: Path, manifest: dict) -> set[str]:
    return set(run_info(run_dir).get("units") or [u["id"] for u in manifest["units"]])


def report(scores: dict[str, tuple[Level, Level]], target: float) -> str:
    lines = [f"{'check':26} {'unit P':>7} {'unit R':>7} {'item P':>7} {'item R':>7}  found/expected (items)"]
    for check, (unit, item) in scores.items():
        flag = "" if unit.meets(target) and item.meets(target) else "  << below target"
        lines.append(f"{check:26} {unit.precision:7.3f} {unit.recall:7.3f} {item.precision:7.3f} "
                     f"{item.recall:7.3f}  {item.found}/{item.expected}{flag}")
    return "\n".join(lines)


def f1(level: Level) -> float:
    p, r = level.precision, level.recall
    return 2 * p * r / (p + r) if p + r else 0.0


def by_family(found: list[Item], expected: list[Item], manifest: dict) -> str:
    """Item-level precision, recall and F1 over all checks, overall and per template family."""
    family = {u["id"]: u.get("family", "") for u in manifest["units"]}
    lines = []
    for name in ("overall", *sorted(set(family.values()) - {""})):
        def mine(items):
            return Counter(i for i in items if name == "overall" or family.get(i[0]) == name)
        level = compare(mine(found), mine(expected))
        if level.found or level.expected:
            lines.append(f"{'items, ' + name:26} P {level.precision:.3f}  R {level.recall:.3f}  F1 {f1(level):.3f}"
                         f"  ({level.matched} of {level.expected} planted, {level.found} found)")
    return "\n".join(lines)


def mismatches(found: list[Item], expected: list[Item]) -> list[str]:
    """The items only one side has, for finding out why a check fell short."""
    extra, missed = Counter(found) - Counter(expected), Counter(expected) - Counter(found)
    return ([f"found, not planted: {' / '.join(i)}" for i in sorted(extra.elements())]
            + [f"planted, not found: {' / '.join(i)}" for i in sorted(missed.elements())])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.score_findings", description=__doc__.split("\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--manifest", type=Path, default=Path("var/sandbox-manifest.json"))
    parser.add_argument("--target", type=float, default=0.98)
    parser.add_argument("--show", action="store_true", help="list the items only one side has")
    args = parser.parse_args(argv)
    for path in (args.run_dir / "findings.csv", args.manifest):
        if not path.is_file():
            parser.error(f"{path}: no such file (a finished run folder and the sandbox's manifest are needed)")
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    units = scored_units(args.run_dir, manifest)
    found, expected = found_items(args.run_dir, units), expected_items(manifest, units)
    scores = score(found, expected)
    print(report(scores, args.target))
    print(by_family(found, expected, manifest))
    if args.show:
        print("\n".join(mismatches(found, expected)))
    return 0 if all(u.meets(args.target) and i.meets(args.target) for u, i in scores.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
