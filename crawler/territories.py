"""Which configured unit a link on a shared platform belongs to, from the units' entry URLs.

On a 集约化 platform each unit's section is a folder (http://host/gk/town/) or a query value
(http://host/xxgk/unit.jsp?unitid=12). A link into another unit's folder, or carrying another
unit's value, is that unit's: never audited as this unit's column.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Territories:
    folders: dict[str, str]                  # unit id -> the folder its entry is below (one unit's alone)
    params: dict[str, tuple[str, str]]       # unit id -> (query name, value) its entry differs by

    @classmethod
    def of(cls, units) -> "Territories":
        entries = {u.id: u.overrides.get("disclosure_url") or u.url for u in units}
        entries = {uid: url for uid, url in entries.items() if url}
        folders = {uid: _folder(url) for uid, url in entries.items()}
        folders = {uid: f for uid, f in folders.items() if f}
        shared = Counter(folders.values())
        return cls(folders={uid: f for uid, f in folders.items() if shared[f] == 1},
                   params=_query_values(entries))

    def __post_init__(self):
        # looked up by a link's own folders and query pairs: a province's thousand units cost nothing per link
        object.__setattr__(self, "_folder_owner", {f: uid for uid, f in self.folders.items()})
        object.__setattr__(self, "_param_owner", {pair: uid for uid, pair in self.params.items()})

    def belongs_to_other(self, unit_id: str, url: str) -> bool:
        own = self.folders.get(unit_id, "")
        owner = next((f for f in _folders_of(url) if f in self._folder_owner), "")    # the deepest first
        if owner and owner != own and not (own and own.startswith(owner)):
            return True
        mine = self.params.get(unit_id)
        return any(self._param_owner.get((name, value)) not in (None, unit_id) and mine != (name, value)
                   for name, values in parse_qs(urlsplit(url).query).items() if len(values) == 1
                   for value in values)


def _folders_of(url: str) -> list[str]:
    """The folders a URL is in, the deepest first (http://h/a/b/c.html: http://h/a/b/, http://h/a/)."""
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc.lower()}"
    segments = parts.path.split("/")[1:-1]
    return [base + "/" + "/".join(segments[:n]) + "/" for n in range(len(segments), 0, -1)]


def _folder(url: str) -> str:
    """The folder of an entry below a site's root (http://host/gk/town/), "" for a root entry."""
    parts = urlsplit(url)
    folder = parts.path.rsplit("/", 1)[0] + "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{folder}" if folder != "/" else ""


def _query_values(entries: dict[str, str]) -> dict[str, tuple[str, str]]:
    """For units whose entries are one page told apart by a query value (unit.jsp?unitid=12 and
    unit.jsp?unitid=27): unit id -> (that query name, its value)."""
    pages: dict[str, dict[str, dict]] = defaultdict(dict)
    for uid, url in entries.items():
        parts = urlsplit(url)
        pages[f"{parts.scheme}://{parts.netloc.lower()}{parts.path}"][uid] = parse_qs(parts.query)
    found = {}
    for queries in pages.values():
        if len(queries) < 2:
            continue
        names = set.intersection(*(set(q) for q in queries.values()))
        telling = sorted(n for n in names if len({tuple(q[n]) for q in queries.values()}) == len(queries))
        if telling:
            found.update({uid: (telling[0], q[telling[0]][0]) for uid, q in queries.items()})
    return found
