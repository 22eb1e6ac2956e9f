"""How each site of the simulated web looks: four CMS template families.

    render(web, site, request) -> Response    any path of the site (pages, media, 404s, robots.txt)
    entry_url(web, unit) -> str | None        own-site units: their home page; portal-hosted: None

Pure and deterministic: the same web (and revision) and request give the same
bytes. HTTP-level hostility (slow, 5xx, resets, 412, robots Disallow ...) is the
server's; page-level quirks (encodings, scripts, traps, broken media) are here.
"""
from __future__ import annotations

from collections import OrderedDict

from sandbox.families import asp, cms2020, dede, gk2019, hanweb, jyh, modern, old, plat, spa, sub, trs, trs2
from sandbox.families.common import Request, Response, SiteRenderer
from sandbox.model import Site, Unit, Web

__all__ = ["Request", "Response", "render", "entry_url", "renderer_for"]

RENDERERS: dict[str, type[SiteRenderer]] = {
    "trs": trs.TrsRenderer,
    "hanweb": hanweb.HanwebRenderer,
    "asp": asp.AspRenderer,
    "modern": modern.ModernRenderer,
    # The blind families (sandbox/blind.py's web only).
    "jyh": jyh.PlatformRenderer,
    "gk2019": gk2019.Catalogue2019Renderer,
    "dede": dede.DedeRenderer,
    "trs2": trs2.TrsVariantRenderer,
    "spa": spa.ScriptSiteRenderer,     # sites drawn by scripts (four variants, one per site)
    "old": old.OldSiteRenderer,        # older ASP / ASP.NET / hand-made sites (four variants)
    "cms2020": cms2020.CmsRenderer,    # commercial CMS platforms 2016-2024 (three variants)
    "plat": plat.PlatformJspRenderer,  # a .jsp 政府信息公开平台: units by ?unitid= (and two units' own small sites)
    "sub": sub.TwoLevelRenderer,       # a two-level catalogue: groups, then sub-columns (three variants)
}

# Building a site's routes walks its whole model; keep the most recently used ones. Room for
# every site of the province web (1337; ~170 MB): a crawl visits them all at once, and a
# smaller cache rebuilds a site per request (141 requests/s instead of thousands).
_CACHE_SIZE = 2048
_cache: OrderedDict[tuple[int, int, str], tuple[Web, SiteRenderer]] = OrderedDict()


def renderer_for(web: Web, site: Site) -> SiteRenderer:
    key = (id(web), web.revision, site.id)
    cached = _cache.get(key)
    if cached is not None and cached[0] is web:
        _cache.move_to_end(key)
        return cached[1]
    renderer = RENDERERS[site.family](web, site)
    _cache[key] = (web, renderer)
    while len(_cache) > _CACHE_SIZE:
        _cache.popitem(last=False)
    return renderer


def render(web: Web, site: Site, req: Request) -> Response:
    return renderer_for(web, site).respond(req)


def entry_url(web: Web, unit: Unit) -> str | None:
    site = web.site(unit.site)
    if RENDERERS[site.family].SECTION_ENTRY:   # a platform: each unit's own section is its entry
        home = next((s for s in web.sites if s.id != site.id and unit.id in s.units), None)
        if home is not None:   # ... unless the unit runs a small site of its own: people start there
            return home.entry_origin + RENDERERS[home.family].HOME
        return site.origin + renderer_for(web, site).section_path(unit)
    if web.portal_unit in site.units and unit.id != web.portal_unit:
        return None
    return site.entry_origin + RENDERERS[site.family].HOME
