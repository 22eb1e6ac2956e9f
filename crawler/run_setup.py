"""What a run is asked to do, checked before any request: its units, its as-of date, its folder.

Each check prints one line naming the bad value and exits 2 (bad input), so cron and a
person at the terminal both see why nothing was crawled.
"""
from __future__ import annotations

import difflib
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from crawler import exit_codes, runs


def writable_folder(path: str) -> Path:
    """DISCLOSURE_OUT as a folder run folders can be written in: one line and exit 2 otherwise,
    before any request (cron must not see a crawl that could keep nothing succeed)."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        why = "it is a file" if folder.exists() and not folder.is_dir() else (exc.strerror or str(exc))
        print(f"DISCLOSURE_OUT: {str(folder)!r} cannot hold run folders ({why})", file=sys.stderr)
        raise SystemExit(exit_codes.BAD_INPUT) from None
    return folder



def select_units(config, units_arg: str) -> list:
    """The units named by `-a units=` (ids or names, comma-separated), all when empty."""
    wanted = [w.strip() for w in (units_arg or "").replace("，", ",").split(",") if w.strip()]
    if not wanted:
        return list(config.units)
    unknown = [w for w in wanted if not any(w in (u.id, u.name) for u in config.units)]
    if unknown:
        choices = [key for u in config.units for key in (u.id, u.name)]
        for word in unknown:
            close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            print(f"{config.path}: -a units=: unknown unit {word!r}{hint}", file=sys.stderr)
        valid = ", ".join(f"{u.id} ({u.name})" for u in config.units)
        print(f"valid units: {valid}", file=sys.stderr)
        raise SystemExit(exit_codes.BAD_INPUT)
    return [config.unit(w) for w in dict.fromkeys(wanted)]



def as_of_date(value: str | None) -> date:
    if not value:
        return datetime.now(runs.CHINA).date()
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        print(f"DISCLOSURE_AS_OF: {value!r} is not a date like 2011-09-30", file=sys.stderr)
        raise SystemExit(exit_codes.BAD_INPUT) from None
