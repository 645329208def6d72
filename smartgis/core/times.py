"""Times: stored in UTC with their offset, shown in the user's time zone.

A project file travels between a design institute, a reviewer and a server whose
clocks may be set to different zones; a time written as local wall-clock text without
an offset cannot be placed, and one shown as it was written dates an 08:00 Beijing
comment to the day before on a machine set to UTC.  So every time SmartGIS records is
``YYYY-MM-DDTHH:MM:SS+00:00`` and every time it shows is converted to the zone of the
person looking (the ``TZ`` of the process, the system's zone by default).
"""

from __future__ import annotations

import datetime as _dt


def now_utc() -> str:
    """The current time in UTC with its offset, to the second (``2024-05-20T01:00:00+00:00``)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def parse(text: str | None) -> _dt.datetime | None:
    """A recorded time as an aware datetime; text without an offset (files written
    before times carried one) is taken as local time.  None when it is not a time."""
    if not text:
        return None
    try:
        t = _dt.datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else t.astimezone()


def local(text: str | None) -> _dt.datetime | None:
    """A recorded time in the local time zone."""
    t = parse(text)
    return t.astimezone() if t is not None else None


def show(text: str | None, seconds: bool = False) -> str:
    """A recorded time as the user reads it: ``2024-05-20 09:00`` in the local zone
    (the text as it is when it is not a time)."""
    t = local(text)
    if t is None:
        return str(text or "")
    return t.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
