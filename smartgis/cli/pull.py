"""``smartgis pull local.gpkg`` — bring colleagues' edits into a checkout; offline edits are kept."""

from __future__ import annotations

ORDER = 89


def register(sub) -> None:
    p = sub.add_parser(
        "pull", help="bring colleagues' edits into a checkout (offline edits are kept)",
        description="Refresh a checked-out project file from its server: rows not edited offline take the server's "
                    "version, rows edited offline are kept (a row edited on both sides is listed as a conflict).")
    p.add_argument("project", metavar="FILE.gpkg", help="a project file written by 'smartgis checkout'")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _
    from smartgis.postgis.offline import pull
    out = pull(args.project)
    if args.json:
        print_json(out)
        return 0
    rows = sum(v["from_server"] for v in out["layers"].values())
    kept = sum(v["kept_local"] for v in out["layers"].values())
    say(_("pulled {rows:,} rows from {url}; {kept} rows edited offline kept", rows=rows, url=out["url"], kept=kept))
    for c in out["conflicts"]:
        say(_("  conflict: {layer} {key} was {change} on the server and edited here", layer=c["layer"],
              key=c["key"], change=c["change"]))
    return 0
