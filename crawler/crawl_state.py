"""What the crawl keeps while it runs: per unit, its requests in flight, what it asked, its budgets.

Scrapy's SpiderState extension pickles `spider.state` into JOBDIR when the crawl stops and
loads it again on resume; the spider keeps one CrawlState there (key "crawl"), so a resumed
crawl neither asks a page twice nor loses count of a unit's requests. The distributed worker
marks the units it claims with `begin`, like the spider does for the units it starts.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class UnitCrawl:
    """One unit while it is crawled; dropped when the unit is done (its snapshot is then written)."""
    pending: int = 0                                     # requests sent and not yet answered
    emitted: int = 0                                     # facts yielded: the pipeline counts them to know
    seen: set[str] = field(default_factory=set)          # request fingerprints asked (a revisit's apart)
    budgets: dict[str, int] = field(default_factory=dict)   # "kind|scope" -> requests spent
    column_urls: set[str] = field(default_factory=set)   # the columns read from its menus
    section_urls: set[str] = field(default_factory=set)  # the pages read as its section
    mailbox_found: bool = False                          # the first mailbox link found is the unit's
    revisit: dict | None = None                          # watched pages asked again: left, snapshot, started

    def spent(self, kind: str, scope: str) -> int:
        return self.budgets.get(f"{kind}|{scope}", 0)

    def spend(self, kind: str, scope: str, limit: int) -> bool:
        """Spend one request of a budget; False when `limit` are spent already."""
        used = self.spent(kind, scope)
        if used >= limit:
            return False
        self.budgets[f"{kind}|{scope}"] = used + 1
        return True


@dataclass
class CrawlState:
    run_id: str
    started: set[str] = field(default_factory=set)       # units begun: a resumed job does not start them again
    open: set[str] = field(default_factory=set)          # units begun and not done
    units: dict[str, UnitCrawl] = field(default_factory=dict)

    def unit(self, unit_id: str) -> UnitCrawl:
        return self.units.setdefault(unit_id, UnitCrawl())

    def begin(self, unit_id: str) -> None:
        self.started.add(unit_id)
        self.open.add(unit_id)

    def close(self, unit_id: str) -> int:
        """The unit is done: forget it; the number of facts it emitted."""
        self.open.discard(unit_id)
        finished = self.units.pop(unit_id, None)
        return finished.emitted if finished else 0

    @classmethod
    def of_job(cls, job: dict, new_run_id) -> "CrawlState":
        """The state kept in Scrapy's `spider.state` (JOBDIR), made on first use; a job written by
        the spider before this class (one dict of dicts keyed by unit) is carried over."""
        if isinstance(job.get("crawl"), cls):
            return job["crawl"]
        state = cls(run_id=job.get("run_id") or new_run_id(), started=set(job.get("started", ())),
                    open=set(job.get("open", ())))
        for unit_id, count in job.get("pending", {}).items():
            state.unit(unit_id).pending = count
        for unit_id, count in job.get("emitted", {}).items():
            state.unit(unit_id).emitted = count
        for unit_id, fingerprint in job.get("seen", ()):
            state.unit(unit_id).seen.add(fingerprint)
        for key, used in job.get("budgets", {}).items():
            unit_id, budget = key.split("|", 1)
            state.unit(unit_id).budgets[budget] = used
        for unit_id, urls in job.get("column_urls", {}).items():
            state.unit(unit_id).column_urls = set(urls)
        for unit_id, visit in job.get("revisits", {}).items():
            state.unit(unit_id).revisit = visit
        for unit_id in job.get("mailboxes", ()):
            state.unit(unit_id).mailbox_found = True
        for unit_id in set(state.units) - state.open:   # done units' leftovers
            del state.units[unit_id]
        job.clear()
        job["crawl"] = state
        return state
