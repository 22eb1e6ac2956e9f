"""`python -m sandbox serve | manifest | config`: serve the simulated county web, write its truth or its config.

  serve     [--port P] [--scale county|province] [--revision N] [--slow SECONDS]
            [--no-hostile] [--hostile slow,flaky_5xx,...] [--manifest PATH] [--ca PATH]
            Serves every site in the foreground; prints a line containing "ready" once all
            listen; writes the manifest (default var/sandbox-manifest.json); stops cleanly
            on SIGTERM or Ctrl-C. Sites with a `tls` state serve HTTPS on certificates made
            at start; the sandbox CA's certificate goes to --ca (default: sandbox-ca.pem beside
            the manifest). Between two crawls, `POST /__sandbox__/revision` with
            n=N on the portal's address switches to revision N (see sandbox/server.py).
  manifest  [--port P] [--scale ...] [--revision N] [-o PATH]   the ground truth as JSON (stdout without -o)
  config    [--port P] [--scale ...] [--revision N] [-o PATH]   a sites.toml pointing the crawler at the web
  (manifest and config take --no-hostile / --hostile too: the truth of the web served with them.)
  --blind   (all three) the blind web instead: 龙溪县, nine template families nobody on the extractors'
            side wrote (sandbox/blind.py); manifest default var/blind-manifest.json, config default
            config/sandbox-blind.toml. E.g. `python -m sandbox serve --blind --port 19311`.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path

from sandbox.generator import DEFAULT_PORT, DEFAULT_SEED, change, generate, with_hostile
from sandbox.manifest import build_manifest, write_manifest
from sandbox.model import HOSTILE, Web
from sandbox.server import SandboxServer, ServeOptions
from sandbox.siteconfig import config_text

DEFAULT_MANIFEST = "var/sandbox-manifest.json"
BLIND_MANIFEST = "var/blind-manifest.json"
BLIND_CONFIG = "config/sandbox-blind.toml"


def base_web(args: argparse.Namespace) -> Web:
    """The generated web with the hostile behaviours the options ask for."""
    if args.blind:
        from sandbox.blind import generate_blind
        web = generate_blind(port=args.port)
    else:
        web = generate(seed=args.seed, scale=args.scale, port=args.port)
    if args.no_hostile or args.hostile:
        web = with_hostile(web, enabled=not args.no_hostile, extra=tuple(args.hostile))
    return web


def build_web(args: argparse.Namespace) -> Web:
    web = base_web(args)
    return change(web, args.revision) if args.revision else web


# ----------------------------------------------------------------- serve

def serve(args: argparse.Namespace) -> int:
    if args.blind and args.manifest == DEFAULT_MANIFEST:
        args.manifest = BLIND_MANIFEST
    ca_path = args.ca or str(Path(args.manifest).with_name("sandbox-ca.pem"))
    options = ServeOptions(slow_seconds=args.slow, manifest_path=args.manifest, ca_path=ca_path)
    server = SandboxServer(base_web(args), options)
    server.switch(args.revision)   # also writes the manifest
    return asyncio.run(run_until_signalled(server, args))


async def run_until_signalled(server, args: argparse.Namespace) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        listening = await server.start()
    except OSError as error:
        print(f"sandbox: {error.strerror}", file=sys.stderr, flush=True)
        return 1
    print(f"sandbox ready: {len(listening)} of {len(server.web.sites)} sites listening on port {args.port} "
          f"({server.web.scale}, revision {server.web.revision}); manifest {args.manifest}", flush=True)
    await stop.wait()
    await server.stop()
    print("sandbox stopped", flush=True)
    return 0


# ----------------------------------------------------------------- config

def write_config(args: argparse.Namespace) -> int:
    if args.blind and args.output == "config/sandbox.toml":
        args.output = BLIND_CONFIG
    text = config_text(build_web(args), mailbox_role=not args.no_mailbox_role)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


def manifest(args: argparse.Namespace) -> int:
    if args.output == "-":
        sys.stdout.write(json.dumps(build_manifest(build_web(args)), ensure_ascii=False, indent=1) + "\n")
    else:
        write_manifest(build_web(args), args.output)
    return 0


# ----------------------------------------------------------------- command line

def hostile_list(text: str) -> list[str]:
    names = [n for n in text.split(",") if n]
    unknown = [n for n in names if n not in HOSTILE]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown hostile behaviour(s) {unknown}; known: {', '.join(HOSTILE)}")
    return names


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", required=True)
    for name in ("serve", "manifest", "config"):
        sub = commands.add_parser(name)
        sub.add_argument("--seed", type=int, default=DEFAULT_SEED, help="generator seed (the default web: 2011)")
        sub.add_argument("--scale", choices=("county", "province"), default="county",
                         help="建始县 (65 units) or a province-sized web (1365 units)")
        sub.add_argument("--port", type=int, default=DEFAULT_PORT, help="the port every site listens on")
        sub.add_argument("--revision", type=int, default=0, help="serve change(web, N): a few new articles")
        sub.add_argument("--no-hostile", action="store_true", help="switch every hostile behaviour off")
        sub.add_argument("--hostile", type=hostile_list, default=[], help="behaviours for every site")
        sub.add_argument("--blind", action="store_true",
                         help="the blind web (龙溪县, nine blind template families) instead of 建始县")
    serve_args = commands.choices["serve"]
    serve_args.add_argument("--slow", type=float, default=0.3, help="delay of each response of a slow site")
    serve_args.add_argument("--manifest", default=DEFAULT_MANIFEST, help="where to write the ground truth")
    serve_args.add_argument("--ca", default="", help="where to write the sandbox CA's certificate (PEM) for its "
                                                     "HTTPS sites (default: sandbox-ca.pem beside the manifest)")
    commands.choices["manifest"].add_argument("-o", "--output", default="-")
    commands.choices["config"].add_argument("-o", "--output", default="config/sandbox.toml")
    commands.choices["config"].add_argument("--no-mailbox-role", action="store_true",
                                            help="leave out role = \"mailbox\" (for a product that does not know it yet)")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return {"serve": serve, "manifest": manifest, "config": write_config}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
