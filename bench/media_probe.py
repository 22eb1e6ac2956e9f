"""Probe the leader, flowchart and appointment extractors and audits on a served test web.

Reads each unit's 领导信息 / 办事流程 / 人事信息 column URLs from an evidence.json (the
independent web's format), follows what the extractors ask for (leader pages, AJAX
endpoints, workflow pages) the way the spider does, measures photos and flowcharts,
builds snapshot-shaped dicts and runs the audits on them. Prints found vs expected.

    PYTHONPATH=$PWD .venv/bin/python bench/media_probe.py /tmp/hb /tmp/hb-sites.toml [unit ...]

To check the same through the spider while it still leaves a shared platform's unit section
(issue 10 item 1), `--override-config OUT` writes a copy of the config that gives every unit on
the first unit's host its section and these three columns by URL (overrides), for a crawl:

    PYTHONPATH=$PWD .venv/bin/python bench/media_probe.py /tmp/hb /tmp/hb-sites.toml --override-config /tmp/ov.toml
"""
from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

from scrapy.http import HtmlResponse, Request, Response, TextResponse

from audits import flowcharts as flow_audit, leader_info, leader_photos
from crawler.config import load_config
from crawler.extract import appointments, detail, leaders, listing, media, workflows
from crawler.snapshot import empty_snapshot
from crawler.spiders.handlers import attachment_facts

AS_OF = date(2024, 6, 30)


def fetch(url, method="GET", data=None):
    body = urllib.parse.urlencode(data).encode() if data else None
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, headers, content = r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        status, headers, content = e.code, dict(e.headers), e.read()
    ctype = headers.get("Content-Type", "")
    if ctype.startswith(("text/html", "application/xhtml")) or not ctype:
        cls = HtmlResponse
    elif ctype.startswith(("text/", "application/json")):
        cls = TextResponse
    else:
        cls = Response                    # images and attachments: bytes only
    return cls(url=url, status=status, body=content, headers={"Content-Type": ctype},
               request=Request(url, method=method))


def image(url):
    r = fetch(url)
    facts = {"url": url, "status": r.status, "bytes": len(r.body)}
    facts.update({"format": None, "width": None, "height": None, "sharpness": None, "phash": None,
                  "thumbnail": None, "error": None})
    if r.status >= 400:
        facts["error"] = f"http_{r.status}"
    else:
        facts.update(media.measure_image(r.body))
    return facts


def read_leaders(url):
    r = fetch(url)
    found = leaders.parse_leaders(r)
    out = []
    if not found:
        for e in listing.parse_list(r, AS_OF).entries:
            d = fetch(e.url)
            ref = leaders.parse_leader_detail(d)
            out.append({"name": ref.name or e.title, "post": ref.post, "photo_url": ref.photo_url, "page_url": e.url})
        return out
    for ref in found:
        listed = {"name": ref.name, "post": ref.post, "duties": ref.duties, "photo_url": ref.photo_url,
                  "page_url": ref.page_url}
        if ref.detail is not None:
            d = fetch(ref.detail.url, ref.detail.method, ref.detail.formdata)
            got = leaders.parse_leader_detail(d)
            listed = {k: getattr(got, k) or listed.get(k) for k in ("name", "post", "duties", "photo_url")} | {
                "page_url": listed["page_url"]}
        out.append(listed)
    return out


def read_workflows(url):
    r = fetch(url)
    items = workflows.parse_workflows(r)
    out = []
    if not items:
        for e in listing.parse_list(r, AS_OF).entries:
            chart = workflows.parse_flowchart(fetch(e.url))
            out.append((e.title, e.url, chart))
    for item in items:
        chart = item.flowchart
        if chart is None:
            chart = workflows.parse_flowchart(fetch(item.detail.url))
        out.append((item.title, item.page_url, chart))
    return out


def flowchart_facts(chart):
    if chart.kind == "image":
        return {"kind": "image", **image(chart.url)}
    if chart.kind == "attachment":
        return {"kind": "attachment", **attachment_facts(fetch(chart.url))}
    return {"kind": "none"}


def read_appointments(url, pages=3):
    out = []
    r = fetch(url)
    for e in listing.parse_list(r, AS_OF).entries:
        a = detail.parse_detail(fetch(e.url), AS_OF)
        when = (a.date or e.date)
        for x in appointments.parse_appointments(a.title or e.title, a.text):
            out.append({"person": x.person, "post": x.post, "action": x.action,
                        "date": when.isoformat() if when else None, "title": a.title, "url": e.url})
    return out


def main(web, config_path, wanted):
    evidence = json.load(open(f"{web}/evidence.json"))
    truth = json.load(open(f"{web}/truth.json"))
    config = load_config(config_path)
    checks = ("leader_photo_missing", "leader_photo_broken", "leader_photo_low_quality", "flowchart_missing",
              "flowchart_broken", "flowchart_unclear", "flowchart_attachment", "leader_info_outdated")
    expected = {(t["unit_id"], t["check"], t["subject"]) for t in truth if t["check"] in checks}
    good = {(g["unit_id"], g["subject"]) for g in evidence["good"] if g["probe"] == "good_photo"}
    good_flow = {g["unit_id"] for g in evidence["good"] if g["probe"] == "good_flow"}
    unit_names = {u["id"]: u["name"] for u in json.load(open(f"{web}/units.json"))["units"]}
    snapshots, found = [], set()
    for unit, cols in evidence["columns"].items():
        if wanted and unit not in wanted:
            continue
        snap = empty_snapshot(unit, unit_names.get(unit, unit), "")
        col = lambda n: cols.get(n, {}).get("url") if cols.get(n, {}).get("state") == "ok" else None
        if col("领导信息"):
            for l in read_leaders(col("领导信息")):
                photo = image(l["photo_url"]) if l.get("photo_url") else None
                snap["leaders"].append({"name": l["name"], "post": l.get("post") or "", "duties": "",
                                        "page_url": l["page_url"], "photo": photo})
        if col("办事流程"):
            for title, page_url, chart in read_workflows(col("办事流程")):
                snap["workflows"].append({"title": title, "page_url": page_url, "column": "办事流程",
                                          "flowchart": flowchart_facts(chart)})
        if col("人事信息"):
            snap["appointments"] = read_appointments(col("人事信息"))
        snapshots.append(snap)
        names = {l["name"] for l in snap["leaders"]}
        want_names = {s for u, s in good if u == unit} | {s for u, c, s in expected if u == unit and c.startswith("leader_photo")}
        print(f"== {unit}: leaders {len(snap['leaders'])} {sorted(names)}; missed {sorted(want_names - names)}")
        for w in snap["workflows"]:
            f = w["flowchart"]
            print(f"   wf {w['title']!r} {f['kind']} {f.get('url')} {f.get('error')} {f.get('width')}x{f.get('height')} sig={f.get('signature')} ext={f.get('ext')}")
        for a in snap["appointments"]:
            print(f"   appt {a['date']} {a['action']} {a['person']} {a['post']}")
    cross = leader_photos.cross_unit_placeholders(snapshots, config)
    for snap in snapshots:
        for audit in (leader_photos.audit(snap, config, AS_OF, cross), flow_audit.audit(snap, config, AS_OF),
                      leader_info.audit(snap, config, AS_OF)):
            for f in audit:
                found.add((snap["unit"]["id"], f.check, f.subject))
    units = {s["unit"]["id"] for s in snapshots}
    expected = {e for e in expected if e[0] in units}
    for check in checks:
        exp = {e for e in expected if e[1] == check}
        got = {e for e in found if e[1] == check}
        print(f"{check:26} expected {len(exp):2} found {len(got):2} hit {len(exp & got):2}")
        for e in sorted(exp - got):
            print("    MISSED", e)
        for e in sorted(got - exp):
            print("    EXTRA ", e)


def write_override_config(web, config_path, out):
    import re
    evidence = json.load(open(f"{web}/evidence.json"))
    text = open(config_path, encoding="utf-8").read()
    blocks = re.split(r"(?=\[\[units\]\])", text)
    shared_host = re.search(r'url = "(https?://[^/"]+)/', blocks[1]).group(1)
    out_blocks = []
    for block in blocks:
        unit = re.search(r'^id = "([\w-]+)"', block, re.M)
        url = re.search(r'^url = "([^"]+)"', block, re.M)
        if block.startswith("[[units]]") and unit and url and url.group(1).startswith(shared_host + "/"):
            cols = evidence["columns"].get(unit.group(1), {})
            given = {n: c["url"] for n, c in cols.items()
                     if n in ("领导信息", "办事流程", "人事信息") and c.get("state") == "ok" and c.get("url")}
            block = (block.rstrip("\n") + f'\n\n[units.overrides]\ndisclosure_url = "{url.group(1)}"\n\n'
                     "[units.overrides.column_urls]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in given.items()) + "\n")
        out_blocks.append(block)
    open(out, "w", encoding="utf-8").write("".join(out_blocks))


if __name__ == "__main__":
    if "--override-config" in sys.argv:
        write_override_config(sys.argv[1], sys.argv[2], sys.argv[sys.argv.index("--override-config") + 1])
    else:
        main(sys.argv[1], sys.argv[2], set(sys.argv[3:]))
