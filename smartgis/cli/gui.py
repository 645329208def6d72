"""``smartgis gui [PROJECT]`` — the desktop window (also bare ``smartgis``)."""

from __future__ import annotations

ORDER = 90

import os
import sys


def register(sub) -> None:
    p = sub.add_parser("gui", help="open the desktop window (the default command)",
                       description="Open the SmartGIS window, optionally on a project file. Without a display, "
                                   "run under xvfb-run, or set QT_QPA_PLATFORM=offscreen and use --screenshot.")
    p.add_argument("project", nargs="?", metavar="PROJECT", help="project file to open")
    p.add_argument("--review", action="store_true", help="open read-only for review (comments and sign-off only)")
    p.add_argument("--lang", choices=["zh", "en"], help="interface language (default: system locale / settings)")
    p.add_argument("--screenshot", metavar="PNG",
                   help="save a picture of the window once the map is drawn, then quit (works offscreen)")
    p.add_argument("--size", default="1600x1000", help="window size WxH (default 1600x1000)")
    p.set_defaults(func=run)


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def run(args) -> int:
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    if not _has_display():
        if not args.screenshot:
            raise UsageError(_("no display found: run 'xvfb-run smartgis gui ...', or set QT_QPA_PLATFORM=offscreen "
                               "and add --screenshot window.png to save a picture of the window"))
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        w, h = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise UsageError(_("--size {value!r}: give WIDTHxHEIGHT, e.g. 1600x1000", value=args.size)) from None
    if not (0 < w <= 16384 and 0 < h <= 16384):
        raise UsageError(_("--size {value!r}: width and height must be between 1 and 16384 pixels", value=args.size))
    from smartgis.cli.common import check_pixels
    check_pixels(w, h, "--size")
    from smartgis.postgis.url import is_url
    if args.project and not is_url(args.project) and not os.path.exists(args.project):
        raise UsageError(_("no such project file"), args.project)
    from smartgis.ui.app import run_app
    return run_app(args.project, review=args.review, lang=args.lang, screenshot=args.screenshot, size=(w, h))
