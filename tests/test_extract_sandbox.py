"""Every extractor on pages rendered by the sandbox's four template families, compared
with what the generator planted (sandbox.model), not with what our audits say.

Pages are rendered in-process (sandbox.families.render), not over HTTP: this checks
that the extractors are generic enough for every family; the served crawl is the
spider's tests' business. A unit's pages are reached the way the spider reaches them:
from the section page's column tree, then list pages and the requests they return.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from crawler.config import load_config
from crawler.extract.appointments import parse_appointments
from crawler.extract.columns import map_column
from crawler.extract.detail import parse_detail
from crawler.extract.leaders import parse_leader_detail, parse_leaders
from crawler.extract.links import is_soft_404
from crawler.extract.listing import parse_list
from crawler.extract.mailbox import parse_letters
from crawler.extract.navigation import column_tree, find_disclosure_link, find_mailbox_link, find_unit_section
from crawler.extract.text import normalise
from crawler.extract.workflows import parse_flowchart, parse_workflows
from sandbox.families import Request, entry_url, render, renderer_for
from sandbox.families.common import LETTERS_PER_PAGE, page_slice
from sandbox.generator import generate
from sandbox.model import FAMILIES

# Sites the server keeps out or takes down: nothing to extract there.
UNREACHABLE = {"down", "robots_disallow", "anti_crawler_412", "redirect_loop", "server_error"}
DETAILS_PER_COLUMN = 3      # article pages read per column (all of them would only be slower)


class Fetcher:
    """Renders a sandbox URL into the Scrapy response the spider would get."""

    def __init__(self, web, site):
        self.web, self.site = web, site

    def __call__(self, url: str, method: str = "GET", formdata: dict | None = None):
        parts = urlsplit(url)
        request = Request(method, parts.path, parse_qs(parts.query, keep_blank_values=True),
                          {k: [str(v)] for k, v in (formdata or {}).items()}, {})
        answer = render(self.web, self.site, request)
        kind = answer.content_type
        cls = HtmlResponse if "html" in kind else XmlResponse if "xml" in kind else TextResponse
        return cls(url=url, body=answer.body, headers={"Content-Type": kind}, status=answer.status)


class Tally:
    """Facts compared per (family, fact): how many, and the first few that were wrong."""

    def __init__(self):
        self.total = defaultdict(int)
        self.wrong = defaultdict(list)

    def check(self, family: str, fact: str, expected, got, where: str = "") -> None:
        self.total[family, fact] += 1
        if expected != got:
            self.wrong[family, fact].append(f"{where}: expected {expected!r}, got {got!r}")

    def facts(self) -> set[str]:
        return {fact for _, fact in self.total}


def path_of(url: str | None) -> str | None:
    """The path and query of a URL: what the sandbox's renderer names."""
    if url is None:
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def flowchart_kind(renderer, workflow) -> str:
    """The kind a person sees: an <img> for image files, a link for other files, or nothing."""
    kind = workflow.flowchart.kind
    if kind == "none":
        return "none"
    return "image" if renderer.flowchart_ext(workflow) in ("jpg", "png") else "attachment"


def check_unit(tally: Tally, web, layout, unit) -> None:
    site = web.site(unit.site)
    family, renderer, fetch = site.family, renderer_for(web, site), Fetcher(web, site)
    as_of = web.as_of
    section = fetch(site.origin + renderer.section_path(unit))
    tally.check(family, "section found", path_of(section.url), path_of(find_section(web, unit)), unit.name)
    tree = {c.url: c for c in column_tree(section)}
    for column in unit.columns:
        url = site.origin + renderer.column_path(unit, column)
        found = tree.get(url)
        tally.check(family, "column found", True, found is not None, f"{unit.name}/{column.label}")
        if found is None:
            continue
        tally.check(family, "column name", normalise(column.label), found.name, url)
        if column.group:
            tally.check(family, "column group", column.group, found.path[-2] if len(found.path) > 1 else None, url)
        tally.check(family, "column mapped", column.ref, map_column(found.name, layout)[0], url)
        if column.role == "list" or column.role == "personnel":
            check_list(tally, family, fetch, url, column, as_of, renderer, unit)
    if renderer.leaders_column(unit) is not None:
        check_leaders(tally, family, fetch, site.origin + renderer.column_path(unit, renderer.leaders_column(unit)), unit)
    workflows_column = next((c for c in unit.columns if c.role == "workflows"), None)
    if workflows_column is not None:
        check_workflows(tally, family, fetch, site.origin + renderer.column_path(unit, workflows_column),
                        unit, renderer)
    if unit.letters is not None:
        check_letters(tally, family, fetch, section, unit, renderer, as_of)


def find_section(web, unit) -> str | None:
    """The unit's disclosure section the way the spider finds it: from its own home page, or
    from the portal's home page, its catalogue, then the unit directory."""
    own_home = entry_url(web, unit)
    if own_home:
        return find_disclosure_link(Fetcher(web, web.site(unit.site))(own_home))
    portal = web.unit(web.portal_unit)
    fetch = Fetcher(web, web.site(portal.site))
    catalogue = find_disclosure_link(fetch(entry_url(web, portal)))
    return catalogue and find_unit_section(fetch(catalogue), unit.name)


def check_list(tally, family, fetch, url, column, as_of, renderer, unit) -> None:
    first = parse_list(fetch(url), as_of)
    entries = list(first.entries)
    for request in first.next_requests:
        entries += parse_list(fetch(request.url, request.method, request.formdata), as_of).entries
    where = f"{unit.name}/{column.label}"
    tally.check(family, "entry count", len(column.articles), len(entries), where)
    for entry, article in zip(entries, column.articles):
        tally.check(family, "entry url", renderer.article_path(unit, column, article), path_of(entry.url), where)
        tally.check(family, "entry list date", article.date if article.date_in_list else None, entry.date,
                    f"{where} {column.date_style}")
    for entry, article in list(zip(entries, column.articles))[:DETAILS_PER_COLUMN]:
        page = fetch(entry.url)
        detail = parse_detail(page, as_of)
        tally.check(family, "soft 404", False, is_soft_404(page), entry.url)
        for ref, link in zip(detail.links, article.links):
            if link.state == "soft_404":
                tally.check(family, "soft 404", True, is_soft_404(fetch(ref.url)), ref.url)
        tally.check(family, "detail date", article.date, detail.date, entry.url)
        tally.check(family, "detail attachments", len(article.attachments), len(detail.attachments), entry.url)
        tally.check(family, "detail links", len(article.links), len(detail.links), entry.url)
        if article.appointments:
            got = [(a.person, a.post, a.action) for a in parse_appointments(detail.title, detail.text)]
            tally.check(family, "appointments", [(a.person, a.post, a.action) for a in article.appointments],
                        got, entry.url)


def check_leaders(tally, family, fetch, url, unit) -> None:
    leaders = parse_leaders(fetch(url))
    tally.check(family, "leader names", [l.name for l in unit.leaders], [l.name for l in leaders], url)
    truth = {l.name: l for l in unit.leaders}
    for leader in leaders:
        if leader.detail is not None and (leader.photo_url is None or not leader.duties):
            detail = parse_leader_detail(fetch(leader.detail.url, leader.detail.method, leader.detail.formdata))
            leader = detail if detail.name == leader.name else leader
        planted = truth.get(leader.name)
        if planted is None:
            continue
        tally.check(family, "leader post", planted.post, leader.post, url)
        tally.check(family, "leader duties", planted.duties, leader.duties, url)
        tally.check(family, "leader has photo", planted.photo.kind != "none", leader.photo_url is not None,
                    f"{url} {leader.name}")


def check_workflows(tally, family, fetch, url, unit, renderer) -> None:
    items = parse_workflows(fetch(url))
    tally.check(family, "workflow titles", [w.title for w in unit.workflows], [i.title for i in items], url)
    for item, workflow in zip(items, unit.workflows):
        chart = item.flowchart or parse_flowchart(fetch(item.detail.url))
        tally.check(family, "flowchart kind", flowchart_kind(renderer, workflow), chart.kind, f"{url} {item.title}")


def check_letters(tally, family, fetch, section, unit, renderer, as_of) -> None:
    mailbox_url = find_mailbox_link(section, [renderer.mailbox_label(unit)])
    tally.check(family, "mailbox link", path_of(section.urljoin(renderer.mailbox_path(unit))),
                path_of(mailbox_url), unit.name)
    page = parse_letters(fetch(section.urljoin(renderer.mailbox_path(unit))), as_of)
    planted = page_slice(unit.letters, 1, LETTERS_PER_PAGE)
    tally.check(family, "letters", [(l.title, l.received, l.status, l.answered) for l in planted],
                [(l.title, l.received, l.status, l.answered) for l in page.letters], unit.name)
    pages = max(1, -(-len(unit.letters) // LETTERS_PER_PAGE))
    tally.check(family, "letter pages", pages - 1, len(page.next_requests), unit.name)


@pytest.fixture(scope="module")
def tally() -> Tally:
    web = generate()
    layout = load_config(Path(__file__).parents[1] / "config" / "sites.toml").columns
    result = Tally()
    for unit in web.units:
        if not web.site(unit.site).hostile & UNREACHABLE:
            check_unit(result, web, layout, unit)
    return result


FACTS = ("section found", "column found", "column name", "column group", "column mapped", "entry count", "entry url",
         "entry list date", "detail date", "soft 404", "detail attachments", "detail links", "appointments",
         "leader names", "leader post", "leader duties", "leader has photo", "workflow titles",
         "flowchart kind", "mailbox link", "letters", "letter pages")


def test_every_family_has_every_kind_of_page(tally):
    covered = {family for family, _ in tally.total}
    assert covered == set(FAMILIES)
    assert tally.facts() == set(FACTS)


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("fact", FACTS)
def test_facts_right_in_every_family(tally, family, fact):
    if (family, fact) not in tally.total:
        pytest.skip(f"the sandbox's {family} sites show no {fact}")
    wrong = tally.wrong[family, fact]
    assert not wrong, f"{len(wrong)}/{tally.total[family, fact]} wrong, e.g.\n" + "\n".join(wrong[:5])
