"""Maturity levels: a score (percent of the maximum) read as a level, from a level file.

The shipped file (``resources/indicators/levels/maturity-5.json``) has five levels in the
manner of ISO 37153 and of the national evaluation's 准备期 / 起步期 / 成长期 / 成熟期 /
领军期; its score bands are not published and it ships ``verified: false``.  A city or
institute plugs in its own file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from smartgis.errors import StandardsError
from smartgis.i18n import _
from smartgis.indicators.systems import builtin_dir, read_json


@dataclass
class Level:
    level: int
    name: dict
    min: float

    def label(self, lang: str = "zh") -> str:
        return self.name.get(lang) or self.name.get("en") or str(self.level)


@dataclass
class LevelScale:
    id: str
    title: dict
    levels: list
    verified: bool = False
    source: str = ""
    note: dict = field(default_factory=dict)

    def of(self, percent: float) -> Level:
        """The highest level whose lower bound ``percent`` reaches."""
        got = self.levels[0]
        for lv in self.levels:
            if percent + 1e-9 >= lv.min:
                got = lv
        return got


def scale_from_data(data) -> LevelScale:
    if not isinstance(data, dict) or data.get("format") != "smartgis-maturity":
        raise StandardsError(_("not a maturity level file (\"format\": \"smartgis-maturity\" is missing)"))
    levels = []
    for d in data.get("levels") or []:
        try:
            name = d["name"] if isinstance(d["name"], dict) else {"zh": str(d["name"]), "en": str(d["name"])}
            levels.append(Level(int(d["level"]), name, float(d["min"])))
        except (KeyError, TypeError, ValueError):
            raise StandardsError(_("a level needs level, name and min (a number)")) from None
    if not levels:
        raise StandardsError(_("'levels' must be a non-empty list"))
    levels.sort(key=lambda lv: lv.min)
    return LevelScale(str(data.get("id") or "levels"), data.get("title") or {}, levels,
                      bool(data.get("verified", False)), str(data.get("source", "")), data.get("note") or {})


def load_levels(name_or_path=None) -> LevelScale:
    """A level file by path, or a shipped one by name (default ``maturity-5``)."""
    name = name_or_path or "maturity-5"
    p = Path(name)
    if not (p.suffix == ".json" or p.exists()):
        p = builtin_dir() / "levels" / f"{name}.json"
    data = read_json(p, _("maturity level file"))
    try:
        return scale_from_data(data)
    except StandardsError as exc:
        raise StandardsError(exc.message, p) from None
