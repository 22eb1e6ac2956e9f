"""Extractors: small pure functions from one fetched page to facts, no requests made.

The spider (crawler/spiders/disclosure.py) decides what to fetch; these decide
what a page says. Each works on a Scrapy `TextResponse` (already decoded, with
`response.url` and `<base href>` honoured through `response.urljoin`) and knows no
site, host or path: they recognise what real county CMSs print (TRS, Hanweb,
old ASP, modern templates) by generic cues. Like htmldate, each tries cheap and
precise heuristics first, fuzzy ones last.

Modules and their entry points:
  dates         parse_date(text, as_of) -> date | None       one date string, year inferred for "[09-15]"
                find_date(text, as_of) -> date | None        the first publication-like date in free text
  navigation    find_disclosure_link(response) -> str | None  the 信息公开 section from a home page
                column_tree(response) -> list[ColumnLink]     menu of a disclosure section (nested)
                find_unit_section(response, unit_name) -> str | None   portal unit directory
                find_mailbox_link(response, names) -> str | None; find_mailbox: the same as a ColumnLink
  columns       map_column(name, layout) -> (reference name | None, "exact" | "synonym" | "fuzzy" | "none")
  listing       parse_list(response, as_of) -> ListPage       entries + requests for the other pages
  detail        parse_detail(response, as_of) -> Detail       metadata block date, attachments, body links
  leaders       parse_leaders(response) -> list[LeaderRef]    incl. requests for onclick-loaded details
                parse_leader_detail(response) -> LeaderRef     an onclick endpoint's answer or a leader's page
  workflows     parse_workflows(response) -> list[WorkflowItem]   a workflows column: inline items or links
                parse_flowchart(response) -> FlowchartRef     one item's page: image | attachment | none
  mailbox       parse_letters(response, as_of) -> LetterPage
  appointments  parse_appointments(title, text) -> list[Appointment]   任免 notices: person, post, action
  text          normalise(name) -> str; PageRequest, LinkRef  shared by the others
  page          page_of(response) -> Page    what several extractors read from one response
                (tree, chrome, <meta>, joined links), computed once and dropped with it
  links         page_links(response) -> list[LinkRef]; is_soft_404(response) -> bool;
                challenge_kind(response) -> str | None (anti-crawler 412/521 bodies)
  media         measure_image(body, max_pixels) -> dict; sniff_signature(head) -> str | None
"""
