"""Checks shared by the blind families' own tests (tests/test_sandbox_<family>.py): a family added
to the blind web after the others leaves their pages and truth as they were."""
from __future__ import annotations

import hashlib

from sandbox.families import renderer_for
from sandbox.manifest import build_manifest


def pages_of(web, site) -> dict[str, str]:
    """Each page a site serves, by its digest."""
    renderer = renderer_for(web, site)
    return {key: hashlib.sha1(handler().body).hexdigest() for key, handler in renderer.static.items()}


def assert_the_others_unchanged(full, before, added: tuple[str, ...]) -> None:
    """`full` (the web with the `added` units) holds `before`'s units, defects, facts, hosts and
    pages, byte for byte."""
    whole, earlier = build_manifest(full), build_manifest(before)
    assert [u for u in whole["units"] if u["id"] not in added] == earlier["units"]
    assert [d for d in whole["defects"] if d["unit_id"] not in added] == earlier["defects"]
    assert {k: v for k, v in whole["facts"].items() if k not in added} == earlier["facts"]
    for site in before.sites:
        assert full.site(site.id).host == site.host
        assert pages_of(full, full.site(site.id)) == pages_of(before, site), site.id
