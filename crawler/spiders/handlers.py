"""What the disclosure spider does with each kind of page it fetched (crawler/pages.py names them).

A mixin of DisclosureSpider (crawler/spiders/disclosure.py), which owns the requests, the
facts and the in-flight count: each `handle_<kind>` gets a readable answer and its `ctx`,
asks the extractors (crawler/extract) what the page says, and yields facts and the next
requests; each `failed_<kind>` says what a failure of that kind leaves known. Nothing here
judges: a 404 link, an empty column, a blurred chart are facts the audits decide on.
"""
from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import date

from scrapy.http import TextResponse

from crawler.extract import (appointments, columns, content, detail, leaders, links, listing, mailbox,
                             media, navigation, text, workflows)
from crawler.fetch_policy import host_of

logger = logging.getLogger(__name__)


class PageHandlers:
    """The callbacks and errbacks the page kinds table names (see the module's docstring)."""

    def handle_entry(self, response, ctx):
        """A unit's own home page: find its disclosure section (or read the page as one)."""
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        yield self.fact(unit_id, "unit", host=host_of(response.url))
        yield from self.look_for_mailbox(response)
        section = navigation.find_disclosure_link(response)
        if section and section != response.url and not self.is_own_section(response, section):
            yield self.request(unit_id, section, "section", via=response)
        else:
            yield from self.read_section(response)

    def is_own_section(self, response, section_link: str) -> bool:
        """The entry page already is the unit's section (a unit's section on a shared platform,
        whose 政务公开 link and breadcrumb lead up to the platform's directory of all units):
        it shows a column tree of the reference layout, and the section link leads out of it."""
        if not navigation.leads_out_of(section_link, response.url):
            return False
        mapped = {columns.map_column(link.name, self.config.columns)[0]
                  for link in navigation.column_tree(response)}
        return len(mapped - {None}) >= MIN_SECTION_COLUMNS

    def handle_directory(self, response, ctx):
        """The portal, for a unit it hosts: find the unit's section in its unit directory."""
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        unit = self.config.unit(unit_id)
        section = navigation.find_unit_section(response, unit.name)
        if section:
            yield self.fact(unit_id, "unit", entry_url=section, host=host_of(section), own_site=False)
            yield self.request(unit_id, section, "section", via=response, entry=True)
            return
        catalogue = navigation.find_disclosure_link(response)
        request = catalogue and not ctx.get("catalogue") and self.request(
            unit_id, catalogue, "directory", via=response, ctx={"catalogue": True}, entry=True)
        if request:
            yield request
        else:
            yield self.fact(unit_id, "entry", fetched=False, status=response.status,
                            error="not_found_in_directory",
                            error_detail=f"{unit.name} not found in the unit directory of {response.url}")

    def handle_section(self, response, ctx):
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        # a directory of units is no section: the unit's own entry in it is
        own = navigation.find_unit_in_directory(response, self.config.unit(unit_id).name)
        if own and own != response.url:          # (fetched as the entry already: read again as the section)
            request = (self.request(unit_id, own, "section", via=response)
                       or self.request(unit_id, own, "section", via=response, seen_as="section"))
            if request:
                yield request
            return
        yield from self.look_for_mailbox(response)
        yield from self.read_section(response)

    def failed_section(self, request, error, detail):
        """A home page robots.txt allows, with a disclosure section it forbids: kept out all the same."""
        if error == "robots" and not request.meta.get("entry"):
            yield self.fact(request.meta["unit"], "entry", blocked="robots",
                            blocked_detail=f"robots.txt forbids the disclosure section {request.url}")

    def read_section(self, response):
        """The column tree: one column fact each, and its first list page."""
        unit_id = response.meta["unit"]
        found = [(link, *columns.map_column(link.name, self.config.columns))
                 for link in navigation.column_tree(self.selected(response, "menu"))
                 if not self.territories.belongs_to_other(unit_id, link.url)]
        found += self.column_overrides(unit_id, found) + self.mailbox_column(response, found)
        self.crawl_state.unit(unit_id).section_urls.add(response.url)
        known = self.crawl_state.unit(unit_id).column_urls
        room = self.limits["columns"] - len(known)
        new = [f for f in found if f[0].url not in known]
        if self.limits["columns"] and len(new) > room:
            logger.warning("unit %s: %d columns on %s, more than DISCLOSURE_MAX_COLUMNS_PER_UNIT (%d): "
                           "the first %d read", unit_id, len(known) + len(new), response.url,
                           self.limits["columns"], max(room, 0))
            self.crawler.stats.inc_value("disclosure/columns_capped")
            found = [f for f in found if f[0].url in known] + new[:max(room, 0)]
        known.update(link.url for link, _, _ in found)
        if not found:                            # a frameset: its frames are the page (a home page's too)
            yield from self.frame_requests(response, "entry" if response.meta["handler"] == "entry" else "section", {})
        for link, reference, match in found:
            role = self.config.column(reference).role if reference else None
            yield self.fact(unit_id, "column", name=link.name, path=list(link.path), url=link.url,
                            reference=reference, match=match, role=role)
            column = {"url": link.url, "name": link.name, "reference": reference, "role": role}
            if role == "mailbox":                # letters, not articles: judged by mailbox_backlog only
                yield from self.mailbox_found(unit_id, link.url, response)
            elif link.url == response.url:        # the section page is the column's first list page
                yield from self.handle_list(response, {"column": column})
            else:
                yield self.request(unit_id, link.url, "list", via=response, ctx={"column": column},
                                   budget=("list", link.url))

    def mailbox_column(self, response, found: list) -> list:
        """The section's mailbox link, when the layout lists the mailbox as a column (menus keep
        interaction links apart from columns otherwise)."""
        reference = next((c for c in self.config.columns if c.role == "mailbox"), None)
        if reference is None or any(ref == reference.name for _, ref, _ in found):
            return []
        link = navigation.find_mailbox(response, (*reference.names, *self.config.mailbox_names))
        if not link or not text.same_host(link.url, response.url):
            return []
        return [(link, reference.name, "synonym")]

    def column_overrides(self, unit_id: str, found: list) -> list:
        """Columns the config gives by URL (overrides.column_urls) that the menu did not show."""
        given = self.config.unit(unit_id).overrides.get("column_urls", {})
        shown = {link.url for link, _, _ in found}
        return [(navigation.ColumnLink(reference, url, (reference,)), reference, "exact")
                for reference, url in given.items() if url not in shown]

    def handle_list(self, response, ctx):
        """One list page of a column: entries, the column's other pages, what its entries lead to."""
        unit_id = response.meta["unit"]
        column = ctx["column"]
        if not (yield from self.readable(response)):
            return
        # a later page of a list is dated as of the oldest date of the page that named it (a date
        # printed without its year is then not put a year too late)
        # the section's own menu and links back to the section, repeated on a column page, are no entries
        crawl = self.crawl_state.unit(unit_id)
        menu = frozenset(crawl.column_urls | crawl.section_urls)
        page = listing.parse_list(response, date.fromisoformat(ctx["not_after"]) if ctx.get("not_after")
                                  else self.as_of, not_entries=menu)
        entries = page.entries
        if self.selected(response, "list") is not response:      # the unit's own selector picks the entries
            entries = listing.parse_list(self.selected(response, "list"), self.as_of, not_entries=menu).entries
        shown = content.page_content(response)
        # a static column's page (no list, text of its own): its links, and the date it prints
        article = detail.parse_detail(response, self.as_of) if not entries and shown.text_chars else None
        truncated = False
        for pr in page.next_requests:
            request = self.page_request(unit_id, pr, "list", response, {**ctx, "not_after": iso(pr.not_after)},
                                        budget=("list", column["url"]), pagination=True)
            truncated = truncated or (request is None and self.over_budget(unit_id, "list", column["url"]))
            if request:
                yield request
        yield self.fact(unit_id, "list_page", column_url=column["url"], truncated=truncated,
                        text_chars=shown.text_chars, nothing_notice=shown.nothing_notice,
                        page_date=iso(article.date) if article else None, entries=[
            {"title": e.title, "url": e.url, "date": iso(e.date), "date_source": "list" if e.date else None}
            for e in entries])
        if (not ctx.get("not_after") and response.url not in crawl.section_urls
                and navigation.shows_sub_columns(response, menu)):
            yield from self.read_section(response)          # a group page: its sub-columns are columns too
        if not entries:                          # chrome around an <iframe> that shows the list
            yield from self.frame_requests(response, "list", ctx, budget=("list", column["url"]))
        if column["role"] == "leaders":
            yield from self.read_leaders(response, entries)
        elif column["role"] == "workflows":
            yield from self.read_workflows(response, column, entries)
        elif entries:
            for rank, entry in enumerate(entries):
                yield self.entry_request(unit_id, column, entry, response, rank)
        elif article:
            for ref in [*article.attachments, *article.links]:
                yield self.link_request(unit_id, ref, response)

    def frame_requests(self, response, handler: str, ctx: dict, budget: tuple | None = None):
        """The pages a page shows in its frames, read as the same kind of page (navigation.frame_sources)."""
        for url in navigation.frame_sources(response):
            request = self.request(response.meta["unit"], url, handler, via=response, ctx=ctx, budget=budget)
            if request:
                yield request

    def over_budget(self, unit_id: str, kind: str, scope: str) -> bool:
        return self.crawl_state.unit(unit_id).spent(kind, scope) >= self.limits[kind]

    def page_request(self, unit_id, page_request, handler, response, ctx, budget, pagination=False):
        """A request for a PageRequest of an extractor (a later list page, a POST dataproxy call)."""
        return self.request(unit_id, page_request.url, handler, via=response, ctx=ctx,
                            method=page_request.method, formdata=page_request.formdata, budget=budget,
                            pagination=pagination)

    def entry_request(self, unit_id: str, column: dict, entry, response, rank: int = 0):
        """What an entry of the list leads to, by the column's role (`rank`: its place in the list)."""
        ctx = {"column": column, "title": entry.title, "date": iso(entry.date), "list_url": response.url,
               "rank": rank}
        if column["role"] == "personnel" or appointments.is_appointment_notice(entry.title):
            return self.request(unit_id, entry.url, "detail", via=response, ctx=ctx)   # every 任免 notice
        budget = ("dates", column["url"]) if entry.date is None else ("details", column["url"])
        return self.request(unit_id, entry.url, "detail", via=response, ctx=ctx, budget=budget)

    def handle_detail(self, response, ctx):
        """An article: its date when the list had none, its links and attachments, 任免 notices."""
        unit_id = response.meta["unit"]
        column = ctx["column"]
        problem = self.page_problem(response)
        yield from self.entry_link(response, ctx, problem)
        if not (yield from self.readable(response, problem)):
            return
        article = detail.parse_detail(response, self.as_of)
        if ctx.get("date") is None and article.date:
            yield self.fact(unit_id, "entry_date", column_url=column["url"], url=response.request.url,
                            date=iso(article.date))
        for ref in [*article.attachments, *article.links]:
            yield self.link_request(unit_id, ref, response)
        title = article.title or ctx.get("title") or ""
        if column["role"] == "personnel" or appointments.is_appointment_notice(title):
            for a in appointments.parse_appointments(title, article.text):
                yield self.fact(unit_id, "appointment", person=a.person, post=a.post, action=a.action,
                                date=iso(article.date) or ctx.get("date"), title=title,
                                url=response.url)

    def entry_link(self, response, ctx, problem: str | None):
        """A list entry's link as observed (audits/links.py judges a 404 or 页面不存在 page broken)."""
        if ctx.get("list_url"):
            yield self.fact(response.meta["unit"], "link", url=response.request.url, text=ctx.get("title") or "",
                            kind="link", page_url=ctx["list_url"], status=response.status, bytes=None,
                            soft_404=problem == "soft_404", error=None)

    # --- leaders -------------------------------------------------------------------------------

    def read_leaders(self, response, entries):
        """The leaders of a leaders column page; each entry's page when the page lists none itself."""
        unit_id = response.meta["unit"]
        found = leaders.parse_leaders(self.selected(response, "leaders"))
        for rank, ref in enumerate(found):
            listed = {**leader_dict(ref), "rank": rank}
            if ref.detail is not None:
                yield self.page_request(unit_id, ref.detail, "leader_detail", response,
                                        {"leader": listed}, budget=None)
            else:
                yield from self.leader_facts(unit_id, listed, response)
        if not found:
            for rank, entry in enumerate(entries):
                yield self.request(unit_id, entry.url, "leader_detail", via=response,
                                   ctx={"leader": {"name": entry.title, "page_url": entry.url, "rank": rank}})

    def handle_leader_detail(self, response, ctx):
        if not (yield from self.readable(response)):
            return
        listed = ctx.get("leader") or {}
        found = leader_dict(leaders.parse_leader_detail(response))
        merged = {k: found.get(k) or listed.get(k) for k in ("post", "duties", "photo_url")}
        # the name the list links by, when it is a name (a list of menu titles is not); else the page's
        listed_name = listed.get("name") if leaders.is_name(listed.get("name") or "") else None
        merged.update(name=listed_name or found.get("name"), page_url=listed.get("page_url") or response.url,
                      rank=listed.get("rank"))
        if merged["name"]:
            yield from self.leader_facts(response.meta["unit"], merged, response)

    def leader_facts(self, unit_id: str, leader: dict, response):
        photo = leader.get("photo_url")
        yield self.fact(unit_id, "leader", name=leader["name"], post=leader.get("post") or "",
                        duties=leader.get("duties") or "", page_url=leader.get("page_url") or response.url,
                        photo_url=photo, rank=leader.get("rank"))
        if photo:
            yield self.image_request(unit_id, photo, response, "photo")

    # --- media: photos, flowchart images and attachments ------------------------------------

    def image_request(self, unit_id: str, url: str, response, role: str):
        return self.request(unit_id, url, "image", via=response, ctx={"role": role},
                            meta={"download_maxsize": self.image_maxsize})

    def handle_image(self, response, ctx):
        measured = {"format": None, "width": None, "height": None, "sharpness": None, "phash": None,
                    "thumbnail": None, "error": None}
        if response.status >= 400:
            measured["error"] = f"http_{response.status}"
        else:
            measured.update(media.measure_image(response.body, self.image_max_pixels))
        yield self.fact(response.meta["unit"], "image", url=response.request.url, role=ctx["role"],
                        status=response.status, content_type=content_type(response),
                        bytes=len(response.body), **measured)

    def failed_image(self, request, error, detail):
        yield self.fact(request.meta["unit"], "image", url=request.url, role=request.meta["ctx"]["role"],
                        status=None, error=error)

    def read_workflows(self, response, column: dict, entries):
        """The workflow items of a workflows column page: shown inline, or each on its own page."""
        unit_id = response.meta["unit"]
        items = workflows.parse_workflows(self.selected(response, "workflows"))
        for rank, item in enumerate(items):
            ctx = {"column": column, "title": item.title, "rank": rank}
            if item.flowchart is not None:
                yield from self.workflow_facts(response, item.title, item.page_url, item.flowchart, ctx)
            elif item.detail is not None:
                yield self.page_request(unit_id, item.detail, "workflow", response, ctx, budget=None)
        if not items:                            # the list's entries are the items' pages
            for rank, entry in enumerate(entries):
                yield self.request(unit_id, entry.url, "workflow", via=response,
                                   ctx={"column": column, "title": entry.title, "rank": rank})

    def handle_workflow(self, response, ctx):
        """A workflow item's own page: where its flowchart is, then the flowchart itself."""
        if (yield from self.readable(response)):
            chart = workflows.parse_flowchart(response)
            yield from self.workflow_facts(response, ctx.get("title") or chart.title, response.url, chart, ctx)

    def workflow_facts(self, response, title: str, page_url: str, chart, ctx):
        unit_id = response.meta["unit"]
        yield self.fact(unit_id, "workflow", title=title or "", page_url=page_url,
                        column=ctx["column"]["reference"], kind=chart.kind, url=chart.url, rank=ctx.get("rank"))
        if chart.kind == "image":
            yield self.image_request(unit_id, chart.url, response, "flowchart")
        elif chart.kind == "attachment":
            yield self.request(unit_id, chart.url, "attachment", via=response,
                               meta={"peek": True})

    def handle_attachment(self, response, ctx):
        yield self.fact(response.meta["unit"], "attachment", **attachment_facts(response))

    def failed_attachment(self, request, error, detail):
        yield self.fact(request.meta["unit"], "attachment", url=request.url, status=None,
                        ext=extension(request.url), error=error)

    # --- links and attachments inside articles ----------------------------------------------

    def link_request(self, unit_id: str, ref, response):
        """Check a link: HEAD for attachments (big files), a capped GET for pages (soft-404s)."""
        ctx = {"text": ref.text, "kind": ref.kind, "page_url": response.url}
        method = "HEAD" if ref.kind == "attachment" else "GET"
        return self.request(unit_id, ref.url, "link", via=response, ctx=ctx, method=method,
                            budget=("links", "unit"), meta={"peek": True})

    def handle_link(self, response, ctx):
        unit_id = response.meta["unit"]
        if response.request.method == "HEAD" and response.status in HEAD_UNSUPPORTED:
            retry = self.request(unit_id, response.request.url, "link", via=response, ctx=ctx,
                                 meta={"peek": True})
            if retry:
                yield retry
                return
        soft_404 = (response.status < 400 and response.request.method == "GET"
                    and isinstance(response, TextResponse) and links.is_soft_404(response))
        yield self.fact(unit_id, "link", url=response.request.url, text=ctx["text"], kind=ctx["kind"],
                        page_url=ctx["page_url"], status=response.status, bytes=body_size(response),
                        soft_404=soft_404, error=None)

    def failed_link(self, request, error, detail):
        ctx = request.meta["ctx"]
        yield self.fact(request.meta["unit"], "link", url=request.url, text=ctx["text"], kind=ctx["kind"],
                        page_url=ctx["page_url"], status=None, bytes=None, soft_404=False, error=error)

    def selected(self, response, key: str):
        """The page narrowed to what the unit's `[units.overrides] selectors` picks for `key` (menu,
        list, leaders, workflows, letters), for the site no heuristic reads; the whole page when the
        unit has none for it, or when the selector picks nothing here (then one warning)."""
        selector = self.config.unit(response.meta["unit"]).overrides.get("selectors", {}).get(key)
        if not selector or not isinstance(response, TextResponse):
            return response
        picked = response.css(selector).getall()
        if not picked:
            logger.warning("unit %s: selectors.%s %r picks nothing on %s: read the whole page",
                           response.meta["unit"], key, selector, response.url)
            return response
        head = "".join(response.css("base").getall())      # relative links resolve as on the page
        body = f"<html><head><meta charset='utf-8'>{head}</head><body>" + "\n".join(picked) + "</body></html>"
        return response.replace(body=body.encode("utf-8"), encoding="utf-8")

    # --- the mailbox ---------------------------------------------------------------------------

    def look_for_mailbox(self, response):
        unit_id = response.meta["unit"]
        url = navigation.find_mailbox_link(response, self.config.mailbox_names)
        if url:
            yield from self.mailbox_found(unit_id, url, response)

    def mailbox_found(self, unit_id: str, url: str, response):
        crawl = self.crawl_state.unit(unit_id)
        if not crawl.mailbox_found:              # the first mailbox link found is the unit's
            crawl.mailbox_found = True
            yield self.fact(unit_id, "mailbox", url=url)
            yield self.request(unit_id, url, "mailbox", via=response)

    def handle_mailbox(self, response, ctx):
        unit_id = response.meta["unit"]
        if not (yield from self.readable(response)):
            return
        page = mailbox.parse_letters(response, self.as_of)
        letters = mailbox.parse_letters(self.selected(response, "letters"), self.as_of).letters
        if not letters:
            yield from self.frame_requests(response, "mailbox", ctx)
        yield self.fact(unit_id, "letters", letters=[
            {"title": l.title, "url": l.url, "received": iso(l.received), "status": l.status,
             "answered": iso(l.answered)} for l in letters])
        for pr in page.next_requests:
            yield self.page_request(unit_id, pr, "mailbox", response, ctx, budget=("letters", "pages"),
                                    pagination=True)
        # whether and when a letter was answered, where the list does not say: its own page,
        # letters still open first (their answer decides a finding), within one budget per unit
        unknown = [l for l in letters if l.answered is None and l.url != response.url]
        for letter in sorted(unknown, key=lambda l: l.status == "已办结"):
            yield self.request(unit_id, letter.url, "letter", via=response, budget=("dates", "mailbox"))

    def handle_letter(self, response, ctx):
        if (yield from self.readable(response)):
            reply = mailbox.parse_letter_page(response, self.as_of)
            yield self.fact(response.meta["unit"], "letter_reply", url=response.request.url,
                            status=reply.status, answered=iso(reply.answered))


# Reference columns an entry page's own menu must show for it to be the unit's section.
MIN_SECTION_COLUMNS = 3
# Methods a page's link check may not use: the same link asked again with GET.
HEAD_UNSUPPORTED = (405, 501)


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None



def leader_dict(ref) -> dict:
    return {k: v for k, v in asdict(ref).items() if k != "detail"}



def content_type(response) -> str | None:
    value = response.headers.get(b"Content-Type")
    return value.decode("latin-1").split(";")[0].strip() if value else None



def extension(url: str) -> str | None:
    """The file type a URL names, also behind a download script (downfile.jsp?filename=x.pdf)."""
    return text.url_extension(url) or None



def body_size(response) -> int | None:
    """The size of what the URL serves: Content-Length, else the body read (None when cut short)."""
    length = response.headers.get(b"Content-Length")
    if length and length.isdigit():
        return int(length)
    if "download_stopped" in response.flags or response.request.method == "HEAD":
        return None
    return len(response.body)



def attachment_facts(response) -> dict:
    """Status, type, size and file signature of an attachment, from a HEAD or a capped GET."""
    size = body_size(response)
    error = f"http_{response.status}" if response.status >= 400 else ("empty" if size == 0 else None)
    return {"url": response.request.url, "status": response.status, "content_type": content_type(response),
            "bytes": size, "ext": extension(response.request.url),
            "signature": media.sniff_signature(response.body[:64]) if response.body else None,
            "error": error}
