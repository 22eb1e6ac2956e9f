"""Small hand-made configs and snapshots for the audit tests (tests/test_audit_*.py)."""
from __future__ import annotations

import base64
import io
import itertools
from datetime import date
from pathlib import Path

from PIL import Image

from crawler.config import RECENCY_DEFAULTS, THRESHOLD_DEFAULTS, Config, ReferenceColumn, Unit
from crawler.snapshot import empty_snapshot

AS_OF = date(2011, 9, 30)

LAYOUT = (
    ReferenceColumn("领导信息", ("领导之窗", "领导简介"), "static", "leaders"),
    ReferenceColumn("工作流程", ("办事流程",), "static", "workflows"),
    ReferenceColumn("工作动态", ("乡镇动态", "部门动态"), "动态"),
    ReferenceColumn("通知公告", (), "通知公告"),
    ReferenceColumn("政策文件", ("政策法规",), "政策文件"),
    ReferenceColumn("人事信息", (), "人事", "personnel"),
    ReferenceColumn("腐败风险预警防控", (), "static", required=False),
)


def make_config(**thresholds: float) -> Config:
    return Config(
        path=Path("test.toml"), county="建始县", portal="hbjs",
        site_group_hosts=("*.hbjs.gov.cn", "127.0.0.1:8001"),
        thresholds={**THRESHOLD_DEFAULTS, **thresholds}, recency=dict(RECENCY_DEFAULTS),
        columns=LAYOUT, mailbox_names=("信箱",),
        units=(Unit("yezhou", "业州镇", "乡镇"), Unit("guoshui", "国税局", "县直部门"),
               Unit("lyj", "林业局", "县直部门")),
    )


def snapshot(unit_id: str = "yezhou", name: str = "业州镇", kind: str = "乡镇", **parts) -> dict:
    """A fetched unit's snapshot; `parts` replace its top-level lists (columns, leaders…)."""
    snap = empty_snapshot(unit_id, name, kind)
    snap["unit"].update(entry_url=f"http://{unit_id}.hbjs.gov.cn/xxgk/", host=f"{unit_id}.hbjs.gov.cn")
    snap["reachability"].update(fetched=True, status=200)
    snap.update(parts)
    return snap


def column(reference: str | None, *dates: str | None, name: str | None = None) -> dict:
    """A site column mapped to `reference`, with one entry per date (None: undated)."""
    label = name or reference or "其他"
    entries = [{"title": f"{label}{i}", "url": f"http://x/{label}/{i}.html", "date": d,
                "date_source": "list" if d else None} for i, d in enumerate(dates)]
    return {"name": label, "path": ["信息公开目录", label], "url": f"http://x/{label}/",
            "reference": reference, "match": "exact" if reference else "none",
            "entries": entries, "entry_count": len(entries),
            "newest": max((d for d in dates if d), default=None), "pages": 1, "truncated": False}


IMAGE_NUMBERS = itertools.count()


def image(width: int = 300, height: int = 400, phash: str = "8f0f0f0f0f0f0f0f",
          sharpness: float = 5000.0, **fields) -> dict:
    """A readable image at a URL of its own (unless `url` is given)."""
    return {"url": f"http://x/p{next(IMAGE_NUMBERS)}.jpg", "status": 200, "content_type": "image/jpeg",
            "bytes": 12345, "format": "JPEG", "width": width, "height": height, "sharpness": sharpness,
            "phash": phash, "thumbnail": "", "error": None, **fields}


def thumbnail(colour: tuple[int, int, int]) -> str:
    """A data: URI thumbnail of one colour with a white square in it, as measure_image writes them."""
    picture = Image.new("RGB", (72, 96), colour)
    picture.paste((255, 255, 255), (20, 20, 50, 60))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def leader(name: str, photo: dict | None, post: str = "局长") -> dict:
    return {"name": name, "post": post, "duties": "主持全面工作", "page_url": "http://x/ld/", "photo": photo}
