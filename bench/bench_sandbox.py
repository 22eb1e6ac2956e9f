"""Benchmark: building the simulated web and serving it.

    .venv/bin/python -m bench.bench_sandbox [--requests 3000] [--concurrency 32] [--scale county]

Prints the time to generate the county and province webs and their manifests,
then serves the chosen web (hostile behaviours off, so every answer is a page)
from this process and fetches `--requests` article pages over keep-alive
connections, `--concurrency` at a time, spread over every site: requests per
second and latency percentiles. It tells whether the sandbox, not the spider, is
the bottleneck of a crawl benchmark (both share the machine's cores).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from sandbox.families import renderer_for
from sandbox.generator import generate, with_hostile
from sandbox.manifest import build_manifest
from sandbox.server import SandboxServer
from tests.conftest import free_port


def timed(label: str, build):
    started = time.perf_counter()
    result = build()
    print(f"{label:<32} {time.perf_counter() - started:7.2f} s")
    return result


def article_targets(web, count: int) -> list[tuple[str, int, str]]:
    """(host, port, path) of article pages, round-robin over units so every site is visited."""
    per_unit = []
    for unit in web.units:
        site = web.site(unit.site)
        renderer = renderer_for(web, site)
        paths = [renderer.article_path(unit, column, article)
                 for column in unit.columns if column.role == "list" for article in column.articles]
        per_unit.append([(site.host, site.port, path) for path in paths])
    targets = []
    while len(targets) < count and any(per_unit):
        for paths in per_unit:
            if paths and len(targets) < count:
                targets.append(paths.pop())
    return targets


async def fetch_all(targets: list[tuple[str, int, str]], concurrency: int) -> list[float]:
    """Latencies of GETs over one keep-alive connection per (worker, host)."""
    queue: asyncio.Queue = asyncio.Queue()
    for target in targets:
        queue.put_nowait(target)
    latencies: list[float] = []

    async def worker():
        connections: dict[tuple[str, int], tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
        while not queue.empty():
            host, port, path = queue.get_nowait()
            if (host, port) not in connections:
                connections[host, port] = await asyncio.open_connection(host, port)
            reader, writer = connections[host, port]
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
        for _, writer in connections.values():
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def serve_and_fetch(web, requests: int, concurrency: int) -> None:
    server = SandboxServer(web)
    await server.start()
    targets = article_targets(web, requests)
    started = time.perf_counter()
    latencies = sorted(await fetch_all(targets, concurrency))
    elapsed = time.perf_counter() - started
    await server.stop()
    print(f"served {len(latencies)} article pages from {len(web.sites)} sites in {elapsed:.2f} s: "
          f"{len(latencies) / elapsed:.0f} requests/s; latency p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p95 {latencies[int(len(latencies) * 0.95)] * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--scale", choices=("county", "province"), default="county")
    args = parser.parse_args()
    port = free_port()
    county = timed("generate county", lambda: generate(port=port))
    timed("manifest county", lambda: build_manifest(county))
    province = timed("generate province", lambda: generate(scale="province", port=port))
    timed("manifest province", lambda: build_manifest(province))
    web = with_hostile(county if args.scale == "county" else province, enabled=False)
    asyncio.run(serve_and_fetch(web, args.requests, args.concurrency))


if __name__ == "__main__":
    main()
