"""Benchmark: every audit over a province-sized run (about 1,300 units).

    .venv/bin/python -m bench.bench_audits [--copies 20]

Builds the sandbox county's snapshots from its model, as a spider missing nothing
would gather them (tests/test_audit_against_manifest.py; the pictures measured
for real), clones them `--copies` times under new ids, each clone's photos given
hashes of their own (the placeholder avatar keeps its one picture everywhere, as
a shared default avatar does), then times audit_unit per unit and audit_run over
the whole run, whose cross-unit placeholder search is the part that could grow
quadratically.
"""
from __future__ import annotations

import argparse
import copy
import random
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from audits import audit_run, audit_unit
from crawler.config import load_config
from sandbox.generator import generate
from sandbox.siteconfig import config_text
from tests.test_audit_against_manifest import snapshot_of


def clone(snapshot: dict, suffix: str, rng: random.Random) -> dict:
    twin = copy.deepcopy(snapshot)
    twin["unit"].update(id=twin["unit"]["id"] + suffix, name=twin["unit"]["name"] + suffix)
    for leader in twin["leaders"]:
        photo = leader["photo"]
        if photo and photo.get("phash") and "default-" not in photo["url"]:
            photo.update(url=photo["url"] + suffix, phash=f"{rng.getrandbits(64):016x}")
    return twin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20)
    copies = parser.parse_args().copies
    web = generate()
    started = time.perf_counter()
    county = [snapshot_of(web, unit) for unit in web.units]
    print(f"county snapshots built from the model: {len(county)} in {time.perf_counter() - started:.1f} s")
    rng = random.Random(2011)
    snapshots = [clone(s, f"{n:03d}", rng) for n in range(copies) for s in county]
    with TemporaryDirectory() as tmp:
        path = Path(tmp, "sandbox.toml")
        path.write_text(config_text(web), encoding="utf-8")
        config = load_config(path)
    started = time.perf_counter()
    for snapshot in snapshots:
        audit_unit(snapshot, config, web.as_of)
    per_unit = (time.perf_counter() - started) / len(snapshots)
    started = time.perf_counter()
    findings = audit_run(snapshots, config, web.as_of, previous=[], run_id="bench")
    whole = time.perf_counter() - started
    print(f"audit_unit: {per_unit * 1000:.2f} ms per unit (mean of {len(snapshots)})")
    print(f"audit_run:  {whole:.2f} s for {len(snapshots)} units, {len(findings)} findings "
          f"({sum(f.check == 'leader_photo_low_quality' for f in findings)} low-quality photos)")


if __name__ == "__main__":
    main()
