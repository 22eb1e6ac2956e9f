"""A small hand-made run for the report tests: config, snapshots and findings.

The units and problems follow the 2011 bulletin (茅田乡 stale, 长梁乡 narrow,
国税局 without leader photos …) so the bulletin's wording can be checked against it.
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
from pathlib import Path

from PIL import Image

from audits.finding import Finding
from crawler.config import RECENCY_DEFAULTS, THRESHOLD_DEFAULTS, Config, ReferenceColumn, Unit
from crawler.snapshot import empty_snapshot, write_snapshot

HOSTILE_TITLE = "<script>window.__pwned=1</script>"
HOSTILE_IMG = "<img src=x onerror=window.__pwned=1>"

UNITS = (
    Unit("maotian", "茅田乡", "乡镇"),
    Unit("changliang", "长梁乡", "乡镇"),
    Unit("yezhou", "业州镇", "乡镇"),
    Unit("guoshui", "国税局", "县直部门"),
    Unit("dishui", "地税局", "县直部门"),
    Unit("gongshang", "工商局", "县直部门"),
    Unit("xinfang", "信访局", "县直部门"),
    Unit("hbjs", "建始网", "门户"),
)

COLUMNS = (
    ReferenceColumn("工作动态", ("动态要闻",), recency="动态"),
    ReferenceColumn("领导信息", ("领导之窗",), role="leaders"),
    ReferenceColumn("工作流程", (), role="workflows"),
    ReferenceColumn("腐败风险预警防控", ()),
)


def sample_toml() -> str:
    """The sample as a sites.toml, for commands that load their config from a file."""
    lines = ['[county]', 'name = "建始县"', 'portal = "hbjs"', 'site_group_hosts = ["*.hbjs.gov.cn"]']
    for column in COLUMNS:
        synonyms = json.dumps(column.synonyms, ensure_ascii=False)
        lines += ["[[columns]]", f'name = "{column.name}"', f"synonyms = {synonyms}",
                  f'recency = "{column.recency}"'] + ([f'role = "{column.role}"'] if column.role else [])
    for unit in UNITS:
        lines += ["[[units]]", f'id = "{unit.id}"', f'name = "{unit.name}"', f'kind = "{unit.kind}"',
                  f'url = "http://{unit.id}.example.invalid/xxgk/"']
    return "\n".join(lines) + "\n"


def sample_config(path: Path = Path("config/sample.toml")) -> Config:
    return Config(path=path, county="建始县", portal="hbjs", site_group_hosts=("*.hbjs.gov.cn",),
                  thresholds=dict(THRESHOLD_DEFAULTS), recency=dict(RECENCY_DEFAULTS),
                  columns=COLUMNS, mailbox_names=("信箱",), units=UNITS)


def thumbnail(width: int, height: int, colour=(180, 40, 40)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _column(name: str, newest: str | None, count: int, reference: str | None = None) -> dict:
    entries = [{"title": f"{name}第{i}条", "url": f"http://example.invalid/{i}", "date": newest,
                "date_source": "list"} for i in range(count)]
    return {"name": name, "path": ["信息公开目录", name], "url": "http://example.invalid/col",
            "reference": reference or name, "match": "exact", "entries": entries,
            "entry_count": count, "newest": newest if count else None, "pages": 1, "truncated": False}


def _photo(width: int, height: int, seed: str) -> dict:
    """A measured, sharp picture; `seed` makes its URL and hash its own (not a shared placeholder)."""
    digest = hashlib.md5(seed.encode()).hexdigest()
    return {"url": f"http://example.invalid/{digest}.png", "status": 200, "content_type": "image/png",
            "bytes": 999, "format": "PNG", "width": width, "height": height, "sharpness": 310.5,
            "phash": digest[:16], "thumbnail": thumbnail(min(width, 72), min(height, 96)), "error": None}


def sample_snapshots(run_id: str = "20110930-020000") -> list[dict]:
    snapshots = []
    for unit in UNITS:
        snap = empty_snapshot(unit.id, unit.name, unit.kind)
        snap["unit"].update(entry_url=f"http://{unit.id}.example.invalid/xxgk/",
                            host=f"{unit.id}.example.invalid", own_site=unit.kind != "县直部门")
        snap["crawl"] = {"run_id": run_id, "as_of": "2011-09-30"}
        snap["reachability"].update(fetched=True, status=200, pages=12)
        snap["columns"] = [_column("工作动态", "2011-09-20", 30), _column("领导之窗", None, 3, "领导信息"),
                           _column("腐败风险预警防控", "2011-08-01", 5)]
        snapshots.append(snap)
    by_id = {s["unit"]["id"]: s for s in snapshots}
    by_id["maotian"]["columns"] = [_column("工作动态", "2011-03-02", 80), _column("领导之窗", None, 3, "领导信息")]
    by_id["changliang"]["columns"] = [_column("腐败风险预警防控", "2011-09-01", 40)]
    by_id["guoshui"]["leaders"] = [
        {"name": "王五", "post": "局长", "duties": "全面工作", "page_url": "http://g.example.invalid/l1",
         "photo": _photo(48, 64, "王五")},
        {"name": HOSTILE_IMG, "post": "副局长", "duties": "", "page_url": "http://g.example.invalid/l2",
         "photo": None}]
    by_id["gongshang"]["leaders"] = [
        {"name": "赵六", "post": "局长", "duties": "", "page_url": "http://gs.example.invalid/l1",
         "photo": _photo(150, 200, "赵六")}]
    by_id["gongshang"]["workflows"] = [
        {"title": HOSTILE_TITLE, "page_url": "http://gs.example.invalid/w1", "column": "工作流程",
         "flowchart": {"kind": "image", **_photo(900, 600, "流程")}},
        {"title": "企业登记流程", "page_url": "http://gs.example.invalid/w2", "column": "工作流程",
         "flowchart": {"kind": "attachment", "url": "http://gs.example.invalid/w2.doc", "status": 200,
                       "content_type": "application/msword", "bytes": 23552, "ext": "doc", "signature": "ole2",
                       "error": None}}]
    by_id["xinfang"]["mailbox"] = {"url": "http://x.example.invalid/mail", "letters": [
        {"title": "反映道路问题", "url": "http://x.example.invalid/m1", "received": "2011-08-01",
         "status": "已办结", "answered": "2011-08-05"}]}
    by_id["dishui"]["mailbox"] = {"url": "http://d.example.invalid/mail", "letters": [
        {"title": "=HYPERLINK(\"http://evil\")", "url": "http://d.example.invalid/m1",
         "received": "2011-06-03", "status": "未受理", "answered": None},
        {"title": "咨询税务", "url": "http://d.example.invalid/m2", "received": "2011-09-20",
         "status": "未受理", "answered": None}]}
    by_id["dishui"]["unit"]["own_site"] = True
    by_id["yezhou"]["reachability"].update(fetched=False, status=503, error="http",
                                           error_detail="HTTP 503 after 3 retries")
    return snapshots


def sample_findings(run_id: str = "20110930-020000") -> list[Finding]:
    def f(unit_id, check, message, **kw):
        unit = next(u for u in UNITS if u.id == unit_id)
        return Finding(unit_id=unit_id, unit=unit.name, check=check, message=message, run_id=run_id, **kw)
    return [
        f("yezhou", "site_unreachable", "网站无法访问，请检查服务器。", observed="HTTP 503"),
        f("maotian", "site_stale", "网站超过90天没有更新，请及时更新。", observed="2011-03-02",
          expected=">= 2011-07-02"),
        f("changliang", "coverage_narrow", "只有一类信息，请补充其他栏目。", observed="1个栏目：腐败风险预警防控",
          expected=">= 3"),
        f("guoshui", "leader_photo_low_quality", "领导照片分辨率过低，请更换清晰照片。",
          column="领导信息", subject="王五", observed="48x64", expected=">= 150x200"),
        f("guoshui", "leader_photo_missing", "领导没有照片，请补充。", column="领导信息",
          subject=HOSTILE_IMG),
        f("gongshang", "flowchart_unclear", "流程图不清晰，请上传清晰的图片。", column="工作流程",
          subject=HOSTILE_TITLE, observed="900x600 清晰度 12.5", expected="清晰度 >= 50"),
        f("dishui", "mailbox_backlog", "信箱来信超过90天未受理，请及时受理。",
          subject="=HYPERLINK(\"http://evil\")", observed="2011-06-03", expected=">= 2011-07-02"),
        f("dishui", "site_not_unified", "网站未纳入统一站群。", observed="dishui.example.invalid",
          expected="*.hbjs.gov.cn"),
    ]


def write_sample_run(out_dir: Path, run_id: str = "20110930-020000") -> Path:
    run_dir = out_dir / run_id
    for snapshot in sample_snapshots(run_id):
        write_snapshot(run_dir / "snapshots" / f"{snapshot['unit']['id']}.json", snapshot)
    return run_dir
