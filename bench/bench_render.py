"""Benchmark: the cost of rendering pages drawn by scripts (crawler/rendering.py), on demand.

    .venv/bin/python -m bench.bench_render [--units 5] [--pages 30]

Two measures, both against the hand-made town site of tests/render_web.py served on
127.0.0.1 (ports 19880-19899), drawn by scripts or served as plain HTML:

1. `browser`: one headless Chromium (/usr/bin/chromium, the crawl's launch flags) renders the
   drawn site's list pages `--pages` times (half of them clicked through to their last page):
   seconds per render (load + scripts + their JSON requests, and per click), the browser's start
   time, and the peak memory of the browser's process tree (sum of PSS of every process, sampled
   every 50 ms) above the idle browser.
2. `crawl`: `scrapy crawl disclosure` of `--units` towns on the drawn site, then on the static
   one (the same content as HTML): wall seconds, pages, rendered pages (`disclosure/rendered`),
   render seconds, and the peak PSS of the crawl's whole process tree (crawler + Chromium).

Prints a table and one JSON line (for bench/results.md).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.rendering import Chromium  # noqa: E402
from tests.render_web import RenderWeb, start_web  # noqa: E402

PORTS = range(19880, 19900)




def tree_pss_kib(root: int) -> int:
    """PSS (shared pages split fairly) of a process and all its descendants, in KiB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            match = re.search(r"^Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
            total += int(match.group(1)) if match else 0
        except OSError:
            continue
    return total


class PeakSampler:
    """Samples tree_pss_kib(pid) every 50 ms in a thread; `peak` in KiB."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_pss_kib(self.pid))
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join()


async def bench_browser(web: RenderWeb, pages: int) -> dict:
    chromium = Chromium("/usr/bin/chromium", timeout=20.0, user_agent=None)
    before = tree_pss_kib(os.getpid())           # this Python process alone
    started = time.monotonic()
    await chromium.start()
    start_s = time.monotonic() - started
    idle = tree_pss_kib(os.getpid())
    urls = [f"http://{web.host}:{web.port}/xxgk/{c}.html" for c in ("tzgg", "gzdt", "zcwj", "ldxx")]
    plain, clicked, states = [], [], 0
    with PeakSampler(os.getpid()) as sampler:
        for i in range(pages):
            url = urls[(i // 2) % len(urls)]
            clicks = 20 if i % 2 else 0
            t = time.monotonic()
            got = await chromium.render(url, None, None, clicks)
            (clicked if clicks else plain).append(time.monotonic() - t)
            states += len(got)
    await chromium.close()
    return {"start_s": round(start_s, 2), "renders": pages, "states": states,
            "s_per_render_no_click": round(sum(plain) / max(1, len(plain)), 3),
            "s_per_render_clicked_through": round(sum(clicked) / max(1, len(clicked)), 3),
            "s_per_state": round((sum(plain) + sum(clicked)) / max(1, states), 3),
            "python_mib": round(before / 1024), "idle_browser_mib": round((idle - before) / 1024),
            "peak_mib": round(sampler.peak / 1024),
            "peak_above_idle_mib": round((sampler.peak - idle) / 1024)}


def crawl(web: RenderWeb, units: int, out: Path) -> dict:
    template = (REPO / "config/sandbox.toml").read_text(encoding="utf-8")
    config = (f'[county]\nname = "龙溪县"\nportal = "town0"\nsite_group_hosts = ["{web.host}:{web.port}"]\n\n'
              + template[template.index("[thresholds]"):template.index("[[units]]")]
              + "".join(f'[[units]]\nid = "town{i}"\nname = "龙潭{i}镇"\nkind = "乡镇"\nurl = "{web.url}"\n\n'
                        for i in range(units)))
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.toml").write_text(config, encoding="utf-8")
    command = [sys.executable, "-m", "scrapy", "crawl", "disclosure", "-s", f"DISCLOSURE_CONFIG={out / 'bench.toml'}",
               "-s", f"DISCLOSURE_OUT={out / 'runs'}", "-s", "DISCLOSURE_AS_OF=2011-09-30",
               "-s", f"HTTPCACHE_DIR={out / 'httpcache'}", "-s", "LOG_LEVEL=INFO",
               # the evidence screenshots after the audits start Chromium for any crawl with findings:
               # off, so that the two crawls compare rendering alone
               "-s", "DISCLOSURE_EVIDENCE_SCREENSHOTS=0"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakSampler(process.pid) as sampler:
        _, log = process.communicate(timeout=900)
    seconds = time.monotonic() - started

    def stat(name: str) -> float:
        match = re.search(rf"'{re.escape(name)}': ([\d.]+)", log)
        return float(match.group(1)) if match else 0.0

    rendered = stat("disclosure/rendered")
    return {"units": units, "returncode": process.returncode, "seconds": round(seconds, 1),
            "pages": int(stat("response_received_count")), "rendered": int(rendered),
            "render_seconds": round(stat("disclosure/render_seconds"), 1),
            "s_per_rendered_page": round(stat("disclosure/render_seconds") / rendered, 3) if rendered else None,
            "peak_mib": round(sampler.peak / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5)
    parser.add_argument("--pages", type=int, default=30)
    args = parser.parse_args()
    drawn, static = start_web(False, PORTS), start_web(True, PORTS)
    try:
        browser = asyncio.run(bench_browser(drawn, args.pages))
        with tempfile.TemporaryDirectory() as tmp:
            drawn_crawl = crawl(drawn, args.units, Path(tmp, "drawn"))
            static_crawl = crawl(static, args.units, Path(tmp, "static"))
    finally:
        drawn.stop()
        static.stop()
    print("browser (one Chromium, direct):")
    for k, v in browser.items():
        print(f"  {k:32} {v}")
    print(f"{'crawl':8} {'units':>5} {'seconds':>8} {'pages':>6} {'rendered':>8} {'render s':>8} "
          f"{'s/render':>8} {'peak MiB':>8}")
    for name, r in (("drawn", drawn_crawl), ("static", static_crawl)):
        print(f"{name:8} {r['units']:>5} {r['seconds']:>8} {r['pages']:>6} {r['rendered']:>8} {r['render_seconds']:>8} "
              f"{r['s_per_rendered_page'] or '-':>8} {r['peak_mib']:>8}")
    print(json.dumps({"browser": browser, "drawn": drawn_crawl, "static": static_crawl}))


if __name__ == "__main__":
    main()
