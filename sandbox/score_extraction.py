"""Extraction accuracy: a crawl's snapshots scored against the sandbox manifest's facts.

    python -m sandbox.score_extraction RUN_DIR [--manifest var/sandbox-manifest.json]
                                       [--min-overall 99] [--min-family 97]

Each fact the generator planted (sandbox/manifest.py, "facts") is one point, right
or wrong: the unit reachable / blocked; per column: found under its label, mapped
to its reference column, its entry count, its newest date; per leader: found,
post, photo (none / its size / broken); per workflow item: found, flowchart form;
per letter: found, status, answer date; per 任免 notice: found; per broken link or
attachment planted (the manifest's link_broken defects): found failing. Whatever the
snapshot holds that the web never had (a column, a leader, a workflow, a letter)
is one wrong point too, so a spider cannot score by finding everything twice.

Prints the share right overall, per template family and per kind of fact, with
the wrong facts listed, and exits 1 below the targets (99% overall, 97% in every
family). The units scored are those of the run (run.json), all manifest units
otherwise; a unit of the run without a snapshot has all its facts wrong.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from audits.common import column_content
from audits.links import failure as link_failure
from crawler.runs import run_info
from crawler.snapshot import read_snapshot

# Photo kinds the manifest gives a measurable picture for, and those that must come out broken.
MEASURED_PHOTOS = ("good", "tiny", "blurred", "placeholder")
BROKEN_PHOTOS = ("broken_404", "html", "truncated", "bomb")
BROKEN_FLOWCHARTS = ("broken_404", "broken_empty")


class Score:
    """Right/wrong counts per (family, kind of fact), and the wrong ones for the listing."""

    def __init__(self):
        self.right: Counter = Counter()
        self.total: Counter = Counter()
        self.wrong: list[str] = []

    def add(self, family: str, kind: str, ok: bool, what: str) -> None:
        self.total[family, kind] += 1
        self.right[family, kind] += bool(ok)
        if not ok:
            self.wrong.append(f"[{family}] {kind}: {what}")

    def share(self, family: str | None = None, kind: str | None = None) -> tuple[int, int]:
        keys = [k for k in self.total if (family is None or k[0] == family) and (kind is None or k[1] == kind)]
        return sum(self.right[k] for k in keys), sum(self.total[k] for k in keys)


def same_name(a: str | None, b: str | None) -> bool:
    """Names as a person reads them: width forms and spaces do not count."""
    def norm(s):
        return "".join(unicodedata.normalize("NFKC", s or "").split())
    return norm(a) == norm(b)


def find(records: list[dict], key: str, name: str) -> dict | None:
    return next((r for r in records if same_name(r.get(key), name)), None)


def score_unit(score: Score, family: str, unit_id: str, truth: dict, broken_links: list[dict],
               snapshot: dict | None) -> None:
    if snapshot is None:
        score.add(family, "snapshot", False, f"{unit_id}: no snapshot")
        return
    reach = snapshot["reachability"]
    content_expected = truth["reachable"] and not truth["blocked"]
    score.add(family, "reachable", bool(reach["fetched"]) == content_expected,
              f"{unit_id}: fetched={reach['fetched']} error={reach['error']}, truth reachable="
              f"{truth['reachable']} blocked={truth['blocked']}")
    score.add(family, "blocked", bool(reach["blocked"]) == truth["blocked"],
              f"{unit_id}: blocked={reach['blocked']!r}, truth {truth['blocked']}")
    if not content_expected:
        return
    score_columns(score, family, unit_id, truth["columns"], snapshot)
    score_leaders(score, family, unit_id, truth["leaders"], snapshot["leaders"])
    score_workflows(score, family, unit_id, truth["workflows"], snapshot["workflows"])
    score_letters(score, family, unit_id, truth["letters"], snapshot["mailbox"]["letters"])
    score_appointments(score, family, unit_id, truth["appointments"], snapshot["appointments"])
    score_links(score, family, unit_id, broken_links, [l for l in snapshot["links"] if link_failure(l)])


def column_size(column: dict, snapshot: dict) -> int:
    """Entries a column shows (a static page of text: one; a 暂无信息 page: none); for the
    leaders, workflows and mailbox columns, the leaders, items and letters found."""
    found = {"leaders": snapshot["leaders"], "workflows": snapshot["workflows"],
             "mailbox": snapshot["mailbox"]["letters"]}.get(column.get("role"))
    if found:
        return len(found)
    return column_content(column)


def score_columns(score: Score, family: str, unit_id: str, truth: list[dict], snapshot: dict) -> None:
    found_names = set()
    for want in truth:
        got = find(snapshot["columns"], "name", want["label"])
        where = f"{unit_id} column {want['label'].strip()}"
        score.add(family, "column found", got is not None, where)
        if got is None:
            continue
        found_names.add(got["name"])
        score.add(family, "column mapped", got["reference"] == want["reference"],
                  f"{where}: mapped to {got['reference']}, truth {want['reference']}")
        size = column_size(got, snapshot)
        score.add(family, "column entries", size == want["entries"],
                  f"{where}: {size} entries, truth {want['entries']}")
        score.add(family, "column newest", got["newest"] == want["newest"],
                  f"{where}: newest {got['newest']}, truth {want['newest']}")
    for extra in snapshot["columns"]:
        if extra["name"] not in found_names and not find(truth, "label", extra["name"]):
            score.add(family, "column found", False, f"{unit_id}: column {extra['name']} is not in the web")


def score_leaders(score: Score, family: str, unit_id: str, truth: list[dict], found: list[dict]) -> None:
    for want in truth:
        got = find(found, "name", want["name"])
        where = f"{unit_id} leader {want['name']}"
        score.add(family, "leader found", got is not None, where)
        if got is None:
            continue
        score.add(family, "leader post", same_name(got["post"], want["post"]),
                  f"{where}: post {got['post']}, truth {want['post']}")
        ok, seen = photo_right(want["photo"], got["photo"])
        score.add(family, "leader photo", ok, f"{where}: photo {seen}, truth {want['photo']}")
    extras(score, family, unit_id, "leader found", found, truth, "name", "name")


def photo_right(want: dict, got: dict | None) -> tuple[bool, str]:
    if want["kind"] == "none":
        return got is None, "none" if got is None else "present"
    if got is None:
        return False, "none"
    seen = f"{got.get('width')}x{got.get('height')} error={got.get('error')}"
    if want["kind"] in BROKEN_PHOTOS:
        return bool(got.get("error")), seen
    return (not got.get("error") and got.get("width") == want["width"]
            and got.get("height") == want["height"]), seen


def score_workflows(score: Score, family: str, unit_id: str, truth: list[dict], found: list[dict]) -> None:
    for want in truth:
        got = find(found, "title", want["title"])
        where = f"{unit_id} workflow {want['title']}"
        score.add(family, "workflow found", got is not None, where)
        if got is None:
            continue
        chart = got["flowchart"]
        if want["kind"] in BROKEN_FLOWCHARTS:   # a dead link: image or attachment, it must come out broken
            ok = chart["kind"] != "none" and bool(chart.get("error"))
        else:
            ok = chart["kind"] == want["flowchart"] and not chart.get("error")
        score.add(family, "workflow flowchart", ok,
                  f"{where}: {chart['kind']} error={chart.get('error')}, truth {want['kind']}")
    extras(score, family, unit_id, "workflow found", found, truth, "title", "title")


def score_letters(score: Score, family: str, unit_id: str, truth: list[dict], found: list[dict]) -> None:
    remaining = list(found)
    for want in truth:
        got = next((r for r in remaining if same_name(r["title"], want["title"])
                    and r.get("received") == want["received"]), None)
        where = f"{unit_id} letter {want['title']} ({want['received']})"
        score.add(family, "letter found", got is not None, where)
        if got is None:
            continue
        remaining.remove(got)
        score.add(family, "letter status", got.get("status") == want["status"],
                  f"{where}: status {got.get('status')}, truth {want['status']}")
        score.add(family, "letter answered", got.get("answered") == want["answered"],
                  f"{where}: answered {got.get('answered')}, truth {want['answered']}")
    for extra in remaining:
        score.add(family, "letter found", False, f"{unit_id}: letter {extra['title']} is not in the web")


def score_appointments(score: Score, family: str, unit_id: str, truth: list[dict], found: list[dict]) -> None:
    score_one_to_one(
        score, family, "appointment", truth, found,
        same=lambda a, want: (same_name(a["person"], want["person"]) and a["action"] == want["action"]
                              and same_name(a["post"], want["post"])),
        missing=lambda want: f"{unit_id} {want['action']} {want['person']} {want['post']} ({want['title']})",
        extra=lambda a: f"{unit_id}: {a['action']} {a['person']} {a['post']} is not in the web")


def score_links(score: Score, family: str, unit_id: str, planted: list[dict], failing: list[dict]) -> None:
    score_one_to_one(
        score, family, "broken link", planted, failing,
        same=lambda link, defect: same_name(link.get("text"), defect["subject"]),
        missing=lambda defect: f"{unit_id} {defect['column']}: {defect['subject']} ({defect['detail']}) "
                               "not found failing",
        extra=lambda link: f"{unit_id}: {link.get('text')} {link['url']} ({link_failure(link)}) "
                           "is not broken in the web")


def score_one_to_one(score: Score, family: str, kind: str, truth: list[dict], found: list[dict],
                     same, missing, extra) -> None:
    """Each expected record matched to one found record (`same`); found records left over are wrong."""
    remaining = list(found)
    for want in truth:
        got = next((record for record in remaining if same(record, want)), None)
        score.add(family, kind, got is not None, missing(want))
        if got is not None:
            remaining.remove(got)
    for record in remaining:
        score.add(family, kind, False, extra(record))


def extras(score: Score, family: str, unit_id: str, kind: str, found: list[dict], truth: list[dict],
           found_key: str, truth_key: str) -> None:
    for record in found:
        if not find(truth, truth_key, record[found_key]):
            score.add(family, kind, False, f"{unit_id}: {record[found_key]} is not in the web")


def load_snapshots(run_dir: Path) -> dict[str, dict]:
    return {p.stem: read_snapshot(p) for p in sorted(Path(run_dir, "snapshots").glob("*.json"))}


def score_run(run_dir: Path, manifest: dict) -> Score:
    snapshots = load_snapshots(run_dir)
    units = run_info(run_dir).get("units") or [u["id"] for u in manifest["units"]]
    family_of = {u["id"]: u["family"] for u in manifest["units"]}
    broken_links: dict[str, list[dict]] = {}
    for defect in manifest["defects"]:
        if defect["check"] == "link_broken":
            broken_links.setdefault(defect["unit_id"], []).append(defect)
    score = Score()
    for unit_id in units:
        if unit_id in manifest["facts"]:
            score_unit(score, family_of[unit_id], unit_id, manifest["facts"][unit_id],
                       broken_links.get(unit_id, []), snapshots.get(unit_id))
    return score


def percent(right: int, total: int) -> float:
    return 100.0 * right / total if total else 100.0


def report(score: Score, min_overall: float, min_family: float) -> tuple[str, bool]:
    lines = [f"{'':24}{'right':>8}{'facts':>8}{'%':>8}"]
    families = sorted({f for f, _ in score.total})
    kinds = sorted({k for _, k in score.total})
    passed = True
    for family in families:
        right, total = score.share(family=family)
        passed &= percent(right, total) >= min_family
        lines.append(f"family {family:17}{right:8}{total:8}{percent(right, total):8.2f}")
    for kind in kinds:
        right, total = score.share(kind=kind)
        lines.append(f"  {kind:22}{right:8}{total:8}{percent(right, total):8.2f}")
    right, total = score.share()
    passed &= percent(right, total) >= min_overall
    lines.append(f"{'overall':24}{right:8}{total:8}{percent(right, total):8.2f}")
    lines.append(f"targets: >= {min_overall}% overall, >= {min_family}% per family: "
                 + ("met" if passed else "NOT met"))
    if score.wrong:
        lines.append(f"\n{len(score.wrong)} wrong:")
        lines.extend("  " + w for w in score.wrong)
    return "\n".join(lines), passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.score_extraction",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("--manifest", type=Path, default=Path("var/sandbox-manifest.json"))
    parser.add_argument("--min-overall", type=float, default=99.0)
    parser.add_argument("--min-family", type=float, default=97.0)
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    text, passed = report(score_run(args.run_dir, manifest), args.min_overall, args.min_family)
    print(text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
