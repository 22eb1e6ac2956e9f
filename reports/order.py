"""The one order every report lists units in: the config's (as the office wrote it)."""
from __future__ import annotations

from crawler.config import Config


def in_config_order(config: Config, snapshots: list[dict]) -> list[dict]:
    """Snapshots sorted as their units appear in the config; units unknown to it last, by id."""
    position = {u.id: i for i, u in enumerate(config.units)}
    return sorted(snapshots, key=lambda s: (position.get(s["unit"]["id"], len(position)), s["unit"]["id"]))
