"""Checks shared by the blind families' own tests (tests/test_sandbox_<family>.py): a family added
to the blind web after the others leaves their pages and truth as they were; a person following a
site's links over real HTTP reaches what was planted (Visit, assert_photo_served)."""
from __future__ import annotations

import hashlib
import html
import io
import re
import urllib.error
import urllib.request
from urllib.parse import urljoin

from PIL import Image

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


# --- following a site's links over real HTTP, as a person clicking would (the tests' own, no model of the crawler)

LINKS = r"""(?:href|src)\s*=\s*["']([^"'#][^"']*)["']"""
_fetched: dict[str, tuple[int, bytes, str]] = {}


def fetch(url: str) -> tuple[int, bytes, str]:
    if url not in _fetched:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                _fetched[url] = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            _fetched[url] = error.code, error.read(), error.headers.get("Content-Type", "")
    return _fetched[url]


class Visit:
    """Everything reached from one entry URL (on its own host and the platform's), as a person clicking would."""

    def __init__(self, entry: str, origins: tuple[str, ...], limit: int = 3000):
        self.status: dict[str, int] = {}
        self.bodies: dict[str, bytes] = {}
        self.texts: dict[str, str] = {}
        queue = [entry]
        while queue and len(self.status) < limit:
            url = queue.pop(0)
            if url in self.status:
                continue
            status, body, ctype = fetch(url)
            self.status[url], self.bodies[url] = status, body
            if status != 200 or "text/html" not in ctype:
                continue
            text = self.texts[url] = body.decode("utf-8")
            for target in re.findall(LINKS, text):
                target = html.unescape(target).strip()
                if target.startswith(("javascript:", "mailto:")):
                    continue
                absolute = urljoin(url, target).split("#")[0]
                if absolute.startswith(tuple(o + "/" for o in origins)):
                    queue.append(absolute)

    def seen(self, text: str) -> bool:
        return any(text in page for page in self.texts.values())


def assert_photo_served(visit: Visit, origin: str, src: str | None, photo, where) -> None:
    """A leader's photo served as planted: none at all, a 404, or a picture of its planted size."""
    if photo.kind == "none":
        assert src is None, where
        return
    status = visit.status.get(origin + src)
    if photo.kind == "broken_404":
        assert status == 404, where
    elif photo.kind != "html":
        assert status == 200, where
        assert Image.open(io.BytesIO(visit.bodies[origin + src])).size == (photo.width, photo.height), where
