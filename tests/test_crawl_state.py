"""The crawl's own state (crawler/crawl_state.py) and the components that switch off by setting."""
from __future__ import annotations

import pickle

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.crawl_state import CrawlState, UnitCrawl


def test_a_budget_is_spent_one_request_at_a_time_up_to_its_limit():
    unit = UnitCrawl()
    assert [unit.spend("list", "http://a/col/", 2) for _ in range(3)] == [True, True, False]
    assert unit.spent("list", "http://a/col/") == 2 and unit.spent("list", "http://a/other/") == 0


def test_a_done_unit_is_forgotten_and_gives_its_fact_count():
    state = CrawlState(run_id="r")
    state.begin("u")
    state.unit("u").emitted = 7
    state.unit("u").seen.add("fp")
    assert state.close("u") == 7
    assert state.open == set() and "u" not in state.units and state.started == {"u"}
    assert state.close("u") == 0                         # closed twice: nothing counted twice


def test_the_state_survives_the_pickle_scrapy_keeps_in_jobdir():
    job: dict = {}
    state = CrawlState.of_job(job, lambda: "20111001-020000")
    state.begin("u")
    state.unit("u").pending = 3
    again = CrawlState.of_job(pickle.loads(pickle.dumps(job)), lambda: "another")
    assert again.run_id == "20111001-020000" and again.unit("u").pending == 3 and again.open == {"u"}


def test_a_job_written_before_the_class_is_carried_over():
    old = {"run_id": "r1", "started": {"a", "b"}, "open": {"b"},
           "pending": {"a": 0, "b": 2}, "emitted": {"b": 5}, "seen": {("b", "fp1"), ("a", "fp0")},
           "budgets": {"b|list|http://x/col/": 3}, "column_urls": {"b": {"http://x/col/"}},
           "revisits": {}, "mailboxes": {"b"}}
    state = CrawlState.of_job(old, lambda: "unused")
    assert state.run_id == "r1" and state.started == {"a", "b"} and state.open == {"b"}
    assert set(state.units) == {"b"}                     # a done unit's leftovers are dropped
    b = state.unit("b")
    assert (b.pending, b.emitted, b.seen, b.spent("list", "http://x/col/"), b.column_urls, b.mailbox_found) == \
        (2, 5, {"fp1"}, 3, {"http://x/col/"}, True)
    assert old == {"crawl": state}                       # what JOBDIR keeps from now on


@pytest.mark.parametrize("component, settings", [
    ("crawler.extensions.FinishRun", {"DISCLOSURE_FINISH_RUN": False}),
    ("crawler.monitoring.RunMonitor", {"DISCLOSURE_FINISH_RUN": False}),
    ("crawler.extensions.PeekDownloads", {"DISCLOSURE_PEEK_BYTES": 0}),
    ("crawler.middlewares.RetryBackoffMiddleware", {"RETRY_ENABLED": False}),
])
def test_a_component_switched_off_by_its_setting_is_not_configured(component, settings):
    from scrapy.utils.misc import load_object
    from scrapy.utils.project import get_project_settings
    cls = load_object(component)
    project = {k: v for k, v in get_project_settings().items() if k.startswith(("DISCLOSURE_", "RETRY_"))}
    assert cls.from_crawler(get_crawler(settings_dict=dict(project))) is not None     # on by default
    with pytest.raises(NotConfigured):
        cls.from_crawler(get_crawler(settings_dict={**dict(project), **settings}))
