"""Benchmark of a province-sized night, on demand (not in CI): writes bench/results.md.

    .venv/bin/python bench/run.py [--units N] [--port P] [--work DIR]

On the province-sized sandbox (`python -m sandbox serve --scale province
--no-hostile`: 1365 units, 170k+ pages), over N units of it (default: all),
measures in one go:
  1. `scrapy crawl disclosure` (first crawl, empty HTTP cache): pages/s, peak RSS,
     bytes received from the network;
  2. a plain Scrapy spider fetching the same URLs with the same Scrapy settings:
     pages/s, so the ratio shows what our parsing, facts and snapshots cost;
  3. the unchanged nightly re-crawl (same cache and settings as crawler.nightly:
     lists revalidated, published content kept fresh): time and network bytes
     against the first crawl;
  4. peak RSS at a quarter of the units, to see how memory grows with units;
  5. the Redis scale-out with 1 worker, then 2 workers, on the same units
     (crawl until every unit is settled; `finish` timed apart);
  6. a cProfile of a crawl of an eighth of the units: time share of date parsing,
     image measuring, audits and reports;
  7. the ratio of 1. and 2. again over an eighth of the units, on a second sandbox whose
     every answer takes --latency seconds (`--hostile slow`), as county servers far
     away do: on loopback with no latency the crawl is CPU-bound, the worst case for
     the ratio; real sites leave the CPU waiting.
Hostile behaviours are off: they measure patience, not speed (tests/test_resilience.py).

Helpers used inside the crawls (this file is importable as `bench.run`):
WireBytes counts the bytes that really crossed the network (not the HTTP cache's
copies); PlainSpider is the baseline spider (`scrapy runspider bench/run.py`).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import scrapy

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2011-09-30"
TARGETS = {"ratio": 0.8, "rss_mib": 1024, "speedup": 1.7, "recrawl_time": 0.25, "recrawl_bytes": 0.10}


# --- inside the crawls ----------------------------------------------------------------------

class WireBytes:
    """Downloader middleware just above the downloader: counts what came over the network.

    Scrapy's own downloader/response_bytes sits outside the HTTP cache and counts a
    revalidated page's cached body; this one skips responses the cache served.
    """

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response, spider=None):
        if "cached" not in response.flags:
            headers = sum(len(k) + sum(len(v) for v in values) for k, values in response.headers.items())
            self.stats.inc_value("bench/wire_bytes", len(response.body) + headers)
            self.stats.inc_value("bench/wire_responses")
        return response


class PlainSpider(scrapy.Spider):
    """Fetches a list of URLs and does nothing with them: the speed of Scrapy alone, with the project's
    Scrapy settings (HTTP cache included: a nightly crawl stores every answer) but none of its components."""
    name = "plain"
    custom_settings = {"ITEM_PIPELINES": {}, "EXTENSIONS": {}, "DOWNLOADER_MIDDLEWARES": {}}

    def __init__(self, urls_file: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.urls_file = urls_file

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as f:
            for line in f:
                method, url = line.rstrip("\n").split(" ", 1)
                yield scrapy.Request(url, method=method, dont_filter=True, callback=self.parse,
                                     errback=self.failed, meta={"handle_httpstatus_all": True})

    def parse(self, response):
        return None

    def failed(self, failure):
        return None


# --- measuring a process ----------------------------------------------------------------------

@dataclass
class Measured:
    seconds: float
    peak_rss_mib: float
    returncode: int
    stats: dict = field(default_factory=dict)


def measure(command: list[str], log: Path, env: dict | None = None) -> Measured:
    """Run a command to its end: wall time, its peak RSS, the Scrapy stats its log dumped."""
    started = time.monotonic()
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})
        _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - started
    return Measured(seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
                    scrapy_stats(log.read_text(encoding="utf-8", errors="replace")))


def scrapy_stats(log: str) -> dict:
    """The numeric values of the last 'Dumping Scrapy stats' block of a log."""
    block = log.rsplit("Dumping Scrapy stats:", 1)[-1].split("\n}", 1)[0]
    return {k: float(v) for k, v in re.findall(r"'([^']+)': (-?[0-9.]+)[,}]", block)}


def pages_per_second(m: Measured) -> float:
    return m.stats.get("response_received_count", 0) / max(m.stats.get("elapsed_time_seconds", m.seconds), 1e-9)


# --- the phases ----------------------------------------------------------------------------------

class Bench:
    def __init__(self, work: Path, config: Path, units: list[str]):
        self.work = work
        self.config = config
        self.units = units
        self.results: dict = {}

    def crawl_command(self, units: list[str], out: Path, cache: Path, config: Path | None = None) -> list[str]:
        from crawler.nightly import NIGHTLY_SETTINGS
        middlewares = {**project_setting("DOWNLOADER_MIDDLEWARES"), "bench.run.WireBytes": 950}
        nightly = [word for name, value in NIGHTLY_SETTINGS.items() for word in ("-s", f"{name}={value}")]
        return [sys.executable, "-m", "scrapy", "crawl", "disclosure", *nightly, "-a", "units=" + ",".join(units),
                "-s", f"DISCLOSURE_CONFIG={config or self.config}", "-s", f"DISCLOSURE_OUT={out}",
                "-s", f"DISCLOSURE_AS_OF={AS_OF}", "-s", f"HTTPCACHE_DIR={cache}",
                "-s", "DISCLOSURE_PROGRESS_INTERVAL=60",
                "-s", f"DOWNLOADER_MIDDLEWARES={json.dumps(middlewares)}"]

    def first_and_recrawl(self) -> None:
        out, cache = self.work / "runs", self.work / "cache"
        first = measure(self.crawl_command(self.units, out, cache), self.work / "first.log")
        again = measure(self.crawl_command(self.units, out, cache), self.work / "recrawl.log")
        self.results["first"], self.results["recrawl"] = first, again
        write_url_list(cache, self.work / "urls.txt")

    def plain(self) -> None:
        command = [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench/run.py"),
                   "-a", f"urls_file={self.work / 'urls.txt'}", "-s", f"HTTPCACHE_DIR={self.work / 'cache-plain'}"]
        self.results["plain"] = measure(command, self.work / "plain.log")

    def small_rss(self) -> None:
        quarter = self.units[::4]
        self.results["small_units"] = len(quarter)
        self.results["small"] = measure(
            self.crawl_command(quarter, self.work / "runs-small", self.work / "cache-small"),
            self.work / "small.log")

    def workers(self, count: int) -> None:
        from tests.redis_server import start_redis
        redis_proc, url = start_redis(self.work)
        try:
            enqueue = subprocess.run(
                [sys.executable, "-m", "crawler.distributed", "enqueue", "--redis", url, "--config",
                 str(self.config), "--as-of", AS_OF, "--units", ",".join(self.units)],
                cwd=ROOT, capture_output=True, text=True, check=True)
            run_id = enqueue.stdout.strip()
            out = self.work / f"runs-{count}w"
            worker = [sys.executable, "-m", "crawler.distributed", "worker", "--redis", url, "--run-id", run_id,
                      "--out", str(out), "-s", "DISCLOSURE_INCREMENTAL=0"]
            logs = [open(self.work / f"worker{count}-{i}.log", "w", encoding="utf-8") for i in range(count)]
            started = time.monotonic()
            procs = [subprocess.Popen(worker, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT) for log in logs]
            peaks = [os.wait4(p.pid, 0)[2].ru_maxrss / 1024 for p in procs]
            crawl = time.monotonic() - started
            for log in logs:
                log.close()
            finish = measure([sys.executable, "-m", "crawler.distributed", "finish", "--redis", url,
                              "--run-id", run_id, "--out", str(out)], self.work / f"finish{count}.log")
            self.results[f"workers{count}"] = {"crawl_s": crawl, "finish_s": finish.seconds,
                                               "peak_rss_mib": max(peaks)}
        finally:
            redis_proc.terminate()
            redis_proc.wait()

    def ours_and_plain(self, units: list[str], config: Path, tag: str) -> tuple[Measured, Measured]:
        """A first crawl of ours, then the plain spider over the URLs it fetched (each with an empty cache)."""
        work = self.work / tag
        work.mkdir()
        ours = measure(self.crawl_command(units, work / "runs", work / "cache", config), work / "ours.log")
        write_url_list(work / "cache", work / "urls.txt")
        plain = measure([sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench/run.py"),
                         "-a", f"urls_file={work / 'urls.txt'}", "-s", f"HTTPCACHE_DIR={work / 'cache-plain'}"],
                        work / "plain.log")
        return ours, plain

    def with_latency(self, latency: float) -> None:
        from tests.conftest import start_sandbox, stop_sandbox
        folder = self.work / "latency-sandbox"
        folder.mkdir()
        slow = start_sandbox(folder, "--scale", "province", "--no-hostile", "--hostile", "slow",
                             "--slow", str(latency))
        try:
            config = folder / "province.toml"
            subprocess.run([sys.executable, "-m", "sandbox", "config", "--scale", "province", "--port",
                            str(slow.port), "-o", str(config)], cwd=ROOT, check=True)
            eighth = self.units[2::8]
            ours, plain = self.ours_and_plain(eighth, config, "latency")
        finally:
            stop_sandbox(slow)
        self.results["latency"] = {"seconds": latency, "units": len(eighth), "ours": ours, "plain": plain}

    def profile(self) -> None:
        eighth = self.units[1::8]
        prof = self.work / "crawl.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "scrapy", "crawl", "disclosure",
                   "-a", "units=" + ",".join(eighth), "-s", f"DISCLOSURE_CONFIG={self.config}",
                   "-s", f"DISCLOSURE_OUT={self.work / 'runs-prof'}", "-s", f"DISCLOSURE_AS_OF={AS_OF}",
                   "-s", "DISCLOSURE_INCREMENTAL=0"]
        measured = measure(command, self.work / "profile.log")
        self.results["profile"] = {"units": len(eighth), "seconds": measured.seconds,
                                   "shares": time_shares(prof)}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def project_setting(name: str):
    from scrapy.utils.project import get_project_settings
    return get_project_settings().getdict(name)


def write_url_list(cache: Path, target: Path) -> int:
    """Every request the HTTP cache holds (method and URL), for the plain spider to fetch again."""
    from crawler.httpcache import cached_requests
    lines = [f"{method} {url}" for method, url in cached_requests(cache)]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


# Where time goes: code areas by file, each counted once when entered from outside it.
AREAS = {
    "date parsing": ("crawler/extract/dates.py", "dateparser/"),
    "image measuring": ("crawler/extract/media.py",),
    "audits": ("audits/",),
    "reports": ("reports/",),
}


def time_shares(prof: Path) -> dict:
    stats = pstats.Stats(str(prof))
    total = stats.total_tt
    shares = {}
    for area, markers in AREAS.items():
        def inside(func) -> bool:
            return any(m in func[0] for m in markers)
        seconds = 0.0
        for func, (_cc, _nc, _tt, _ct, callers) in stats.stats.items():
            if inside(func):
                seconds += sum(c[3] for caller, c in callers.items() if not inside(caller))
        shares[area] = {"seconds": round(seconds, 2), "share": seconds / total if total else 0.0}
    shares["total_s"] = round(total, 2)
    return shares


# --- the report ------------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo", encoding="utf-8")
               if line.startswith("MemTotal"))
    import scrapy as s
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.1f} GiB RAM, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, Scrapy {s.__version__}")


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(bench: Bench, total_units: int) -> str:
    r = bench.results
    first, again, plain, small = r["first"], r["recrawl"], r["plain"], r["small"]
    ours, base = pages_per_second(first), pages_per_second(plain)
    ratio = ours / base if base else 0.0
    wire_first = first.stats.get("bench/wire_bytes", 0)
    wire_again = again.stats.get("bench/wire_bytes", 0)
    time_ratio = again.seconds / first.seconds
    bytes_ratio = wire_again / wire_first if wire_first else 0.0
    w1, w2 = r["workers1"], r["workers2"]
    speedup = w1["crawl_s"] / w2["crawl_s"]
    units, pages = len(bench.units), int(first.stats.get("response_received_count", 0))
    growth = (first.peak_rss_mib / small.peak_rss_mib) / (units / r["small_units"])
    shares = r["profile"]["shares"]
    lines = [
        "# Benchmark results",
        "",
        f"Measured by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        f"**Machine**: {machine()}. The sandbox server runs on the same cores as the crawl "
        "(it takes a share of the CPU in every figure). 1-minute load average at the end of each phase: "
        + ", ".join(f"{name} {load}" for name, load in r["load"].items())
        + " (above 2, other processes were competing for the 2 cores). Cores the sandbox server kept busy "
        "during each phase: " + ", ".join(f"{name} {cpu}" for name, cpu in r["sandbox_cpu"].items()) + ".",
        "",
        f"**Web**: the province-sized sandbox (`--scale province --no-hostile`: {total_units} units). "
        f"Measured over **{units} units** ({pages:,} responses in the first crawl)"
        + ("." if units == total_units else f", spread evenly over the province (`--units {units}`), because the "
           "full run did not fit in the time this session had; `bench/run.py` without `--units` runs it all."),
        "",
        "| figure | measured | target | |",
        "|---|---|---|---|",
        f"| pages/s, `scrapy crawl disclosure` (first crawl) | {ours:.1f} | | |",
        f"| pages/s, plain Scrapy spider, same URLs and settings | {base:.1f} | | |",
        f"| ratio ours / plain | {ratio:.2f} | >= {TARGETS['ratio']} | {verdict(ratio >= TARGETS['ratio'])} |",
        *latency_rows(r.get("latency")),
        f"| peak RSS, {units} units | {first.peak_rss_mib:.0f} MiB | < {TARGETS['rss_mib']} MiB | "
        f"{verdict(first.peak_rss_mib < TARGETS['rss_mib'])} |",
        f"| peak RSS, {r['small_units']} units | {small.peak_rss_mib:.0f} MiB | | |",
        f"| RSS growth / unit growth ({r['small_units']} → {units} units) | {growth:.2f} | < 1 (sublinear) | "
        f"{verdict(growth < 1)} |",
        f"| crawl time, 1 worker (Redis) | {w1['crawl_s']:.0f} s | | |",
        f"| crawl time, 2 workers (Redis) | {w2['crawl_s']:.0f} s | | |",
        f"| speed-up 2 workers / 1 | {speedup:.2f}x | >= {TARGETS['speedup']}x | "
        f"{verdict(speedup >= TARGETS['speedup'])} |",
        f"| first crawl: time, network bytes | {first.seconds:.0f} s, {wire_first / 2**20:.1f} MiB | | |",
        f"| unchanged re-crawl: time, network bytes | {again.seconds:.0f} s, {wire_again / 2**20:.1f} MiB | | |",
        f"| unchanged re-crawl: units kept unchanged, responses | "
        f"{again.stats.get('disclosure/units_reused', 0):.0f} of {units}, "
        f"{again.stats.get('response_received_count', 0):,.0f} | | |",
        f"| re-crawl / first, time | {time_ratio:.0%} | <= {TARGETS['recrawl_time']:.0%} | "
        f"{verdict(time_ratio <= TARGETS['recrawl_time'])} |",
        f"| re-crawl / first, network bytes | {bytes_ratio:.0%} | <= {TARGETS['recrawl_bytes']:.0%} | "
        f"{verdict(bytes_ratio <= TARGETS['recrawl_bytes'])} |",
        "",
        f"Time shares (cProfile of a crawl of {r['profile']['units']} units, "
        f"{shares['total_s']:.0f} s profiled, crawl + audits + reports):",
        "",
        "| area | seconds | share |",
        "|---|---|---|",
        *[f"| {area} | {shares[area]['seconds']:.1f} | {shares[area]['share']:.1%} |" for area in AREAS],
        "",
        "How each figure is taken: pages/s is Scrapy's `response_received_count / elapsed_time_seconds` of "
        "each crawl (the same clock for both spiders; our audits and reports run after it and are not in it). "
        "The plain spider fetches every request our crawl stored in its HTTP cache, with the project's Scrapy "
        "settings (concurrency, AutoThrottle, retries, robots.txt, timeouts, and the HTTP cache a nightly "
        "crawl keeps, into an empty cache of its own) but none of its components. "
        "Peak RSS is the crawl process's `ru_maxrss`. Network bytes are counted by a downloader middleware "
        "below the HTTP cache (`WireBytes`), bodies and headers of responses that came over the wire. "
        "Worker times run from starting the workers to every unit settled; the audit and reports of the "
        f"distributed run (`finish`) took {w1['finish_s']:.0f} s and {w2['finish_s']:.0f} s. The re-crawl "
        "time is the whole `scrapy crawl` process, audits and reports included, like the first crawl's.",
        "",
        "Raw figures: `" + json.dumps(serializable(r), ensure_ascii=False) + "`",
        "",
    ]
    return "\n".join(lines)


def latency_rows(latency: dict | None) -> list[str]:
    """The ratio again on the sandbox that answers after a delay (phase 7), when it was measured."""
    if not latency:
        return []
    ours, plain = pages_per_second(latency["ours"]), pages_per_second(latency["plain"])
    ratio = ours / plain if plain else 0.0
    where = f"{latency['units']} units, every answer after {latency['seconds'] * 1000:.0f} ms"
    return [f"| pages/s, ours / plain, {where} | {ours:.1f} / {plain:.1f} | | |",
            f"| ratio ours / plain, {where} | {ratio:.2f} | >= {TARGETS['ratio']} | "
            f"{verdict(ratio >= TARGETS['ratio'])} |"]


def serializable(results: dict) -> dict:
    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, Measured):
            keep = ("response_received_count", "elapsed_time_seconds", "bench/wire_bytes",
                    "httpcache/revalidate", "httpcache/hit", "httpcache/miss", "disclosure/units_reused")
            return {"seconds": round(value.seconds, 1), "peak_rss_mib": round(value.peak_rss_mib),
                    "returncode": value.returncode, **{k: value.stats.get(k) for k in keep}}
        return value
    return plain(results)


# --- main ------------------------------------------------------------------------------------------

def sample(unit_ids: list[str], count: int | None) -> list[str]:
    """`count` units spread evenly over the province (every k-th), all when None."""
    if not count or count >= len(unit_ids):
        return unit_ids
    step = len(unit_ids) / count
    return [unit_ids[int(i * step)] for i in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, help="measure over this many units (default: all)")
    parser.add_argument("--work", type=Path, default=ROOT / "var/bench", help="scratch folder (emptied)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results.md")
    parser.add_argument("--latency", type=float, default=0.1,
                        help="seconds per answer of the second sandbox (phase 7); 0 skips that phase")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from crawler.config import load_config
    from tests.conftest import start_sandbox, stop_sandbox

    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    sandbox = start_sandbox(args.work, "--scale", "province", "--no-hostile")
    try:
        config = args.work / "province.toml"      # the fixture's config is the county's
        subprocess.run([sys.executable, "-m", "sandbox", "config", "--scale", "province", "--port",
                        str(sandbox.port), "-o", str(config)], cwd=ROOT, check=True)
        all_units = [u.id for u in load_config(config).units]
        bench = Bench(args.work, config, sample(all_units, args.units))
        phases = {"first and re-crawl": bench.first_and_recrawl, "plain spider": bench.plain,
                  "small RSS": bench.small_rss, "1 worker": lambda: bench.workers(1),
                  "2 workers": lambda: bench.workers(2), "profile": bench.profile}
        if args.latency > 0:
            phases["with latency"] = lambda: bench.with_latency(args.latency)
        bench.results["load"], bench.results["sandbox_cpu"] = {}, {}
        for name, phase in phases.items():
            started, server_cpu = time.monotonic(), cpu_seconds(sandbox.process.pid)
            phase()
            # the server and other work on the machine share the cores: say how much they took
            bench.results["load"][name] = round(os.getloadavg()[0], 1)
            bench.results["sandbox_cpu"][name] = round(
                (cpu_seconds(sandbox.process.pid) - server_cpu) / (time.monotonic() - started), 2)
            print(f"bench: {name} done in {time.monotonic() - started:.0f} s", flush=True)
    finally:
        stop_sandbox(sandbox)
    args.results.write_text(report(bench, len(all_units)), encoding="utf-8")
    print(f"bench: wrote {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
