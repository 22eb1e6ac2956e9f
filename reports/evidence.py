"""What report.html embeds of the evidence, within DISCLOSURE_REPORT_EVIDENCE_BYTES.

The evidence is gathered by the crawl: each judged picture's `preview` in the snapshot
(crawler/extract/media.py) and the page screenshots in the run's `evidence/` folder
(crawler/evidence.py). The report only presents it: each distinct picture or screenshot is
embedded once, as a data: URI, in this order until the budget is spent:

  1. the pictures the audits found wanting (the evidence of a finding),
  2. the page screenshots, in the order they were taken (units in turn),
  3. the pictures that passed (what a good one looks like, beside a bad one).

What does not fit is counted: a picture then opens its thumbnail, a screenshot is a link to its
file in evidence/ (which opens beside the report in its run folder), and the report says so.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass, field
from pathlib import Path

from crawler.evidence import EVIDENCE_DIR, EvidenceIndex, Screenshot


@dataclass
class EmbeddedEvidence:
    budget: int
    keys: dict[str, str] = field(default_factory=dict)      # data: URI -> key of its copy in the report
    screenshots: dict[tuple[str, str], Screenshot] = field(default_factory=dict)   # (unit id, url) -> taken
    screenshot_uris: dict[tuple[str, str], str] = field(default_factory=dict)     # (unit id, url) -> data: URI
    used: int = 0                                            # bytes embedded
    left: set[str] = field(default_factory=set)              # pictures over the budget
    left_shots: set[str] = field(default_factory=set)        # screenshots over the budget
    pictures: int = 0                                        # distinct pictures embedded
    shots: int = 0                                           # screenshots embedded

    def key(self, uri: str | None) -> str | None:
        return self.keys.get(uri) if uri else None

    def screenshot_key(self, unit_id: str, url: str) -> str | None:
        return self.key(self.screenshot_uris.get((unit_id, url)))

    def add(self, uri: str, screenshot: bool = False) -> bool:
        """Embed `uri` if it is in already or fits the budget; whether it is in."""
        if uri in self.keys:
            return True
        if self.used + len(uri) > self.budget:
            (self.left_shots if screenshot else self.left).add(uri)
            return False
        self.keys[uri] = f"e{len(self.keys)}"
        self.used += len(uri)
        if screenshot:
            self.shots += 1
        else:
            self.pictures += 1
        return True


def screenshot_uri(run_dir: Path, shot: Screenshot) -> str | None:
    """The screenshot file as a data: URI (None when it cannot be read)."""
    try:
        body = (run_dir / EVIDENCE_DIR / shot.file).read_bytes()
    except OSError:
        return None
    if not body.startswith(b"\xff\xd8\xff"):
        return None                                         # only the JPEGs crawler/evidence.py writes
    return "data:image/jpeg;base64," + base64.b64encode(body).decode("ascii")


def embed_evidence(failing: list[str], passing: list[str], index: EvidenceIndex | None, run_dir: Path | None,
                   wanted_pages: set[tuple[str, str]], budget: int) -> EmbeddedEvidence:
    """Choose what to embed: `failing` and `passing` are the pictures' data: URIs in report order;
    the index's screenshots count only for pages a finding still names (`wanted_pages`: a re-audit
    may have dropped some)."""
    plan = EmbeddedEvidence(budget=max(0, budget))
    for uri in failing:
        plan.add(uri)
    for shot in (index.taken if index and run_dir else []):
        page = (shot.unit_id, shot.url)
        if page not in wanted_pages:
            continue
        plan.screenshots[page] = shot
        uri = screenshot_uri(run_dir, shot)
        if uri is not None:
            plan.screenshot_uris[page] = uri
            plan.add(uri, screenshot=True)
    for uri in passing:
        plan.add(uri)
    return plan
