"""``smartgis crs PROJECT fit|add|list|remove`` — the project's local coordinate systems.

City grids (城市独立坐标系) are kept in the project by name: fitted from control points
(``fit``) or given by the parameters a surveying bureau hands over (``add``).  The name
then works wherever a CRS is asked for (``smartgis import … --crs NAME``).
"""

from __future__ import annotations

ORDER = 17


def _floats(text: str, n: int, option: str) -> list[float]:
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    parts = [p.strip() for p in (text or "").split(",")]
    try:
        vals = [float(p) for p in parts]
    except ValueError:
        vals = []
    if len(vals) != n:
        raise UsageError(_("{option} needs {n} numbers separated by commas, got {value!r}", option=option, n=n,
                           value=text))
    return vals


def register(sub) -> None:
    p = sub.add_parser("crs", help="local coordinate systems (city grids): fit from control points, add, list",
                       description="Keep a city's own grid in the project as a named coordinate system: a base CRS "
                                   "and a transformation (helmert2d: 4 parameters; affine: 6; helmert7: 7, through "
                                   "geocentric coordinates). The name works wherever a CRS is asked for, for example "
                                   "'smartgis import PROJECT building.shp --crs NAME'.")
    p.add_argument("project", metavar="PROJECT", help="project file (.gpkg)")
    acts = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    f = acts.add_parser("fit", help="fit a transformation to control points and keep it in the project",
                        description="Least-squares fit of a grid-to-base transformation. The CSV has the columns "
                                    "id,src_x,src_y,dst_x,dst_y (and src_z,dst_z for helmert7): src in the city grid, "
                                    "dst in the base CRS. Points whose residual exceeds 3 x RMS (or --threshold) are "
                                    "flagged as outliers and the fit is repeated without them. Fitting again under "
                                    "the same name replaces the system.")
    f.add_argument("--points", required=True, metavar="F.csv", help="control points (CSV, UTF-8 or GBK)")
    f.add_argument("--model", required=True, choices=("helmert2d", "affine", "helmert7"))
    f.add_argument("--name", required=True, help="name of the local system")
    f.add_argument("--exclude", metavar="ID,...", default="", help="point ids left out of the fit")
    f.add_argument("--base", metavar="EPSG:...", help="CRS of the dst coordinates (default: the project CRS)")
    f.add_argument("--threshold", type=float, metavar="M",
                   help="flag points whose residual exceeds M metres (default: 3 x RMS)")
    f.add_argument("--description", default="", help="a note kept with the system")
    f.add_argument("--json", action="store_true", help="print the fit as one JSON object")
    f.set_defaults(func=run_fit)

    a = acts.add_parser("add", help="add a local system from known parameters",
                        description="Add a local system from the parameters a surveying bureau gives. helmert2d: "
                                    "E = DX + m(cos a x - sin a y), N = DY + m(sin a x + cos a y), a counter-clockwise, "
                                    "m = 1 + SCALE_PPM/1e6 (x, y grid easting and northing). See docs/local-crs.md "
                                    "for parameters given in the X=north form.")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--base", metavar="EPSG:...", help="the base CRS (default: the project CRS)")
    g = a.add_mutually_exclusive_group(required=True)
    g.add_argument("--helmert2d", metavar="DX,DY,ROT_ARCSEC,SCALE_PPM")
    g.add_argument("--affine", metavar="A0,A1,A2,B0,B1,B2", help="E = A0 + A1 x + A2 y, N = B0 + B1 x + B2 y")
    g.add_argument("--helmert7", metavar="TX,TY,TZ,RX,RY,RZ,S_PPM",
                   help="metres, arc-seconds, ppm; grid = the base projection on a local datum")
    a.add_argument("--convention", choices=("position_vector", "coordinate_frame"), default="position_vector",
                   help="rotation convention of --helmert7 (default position_vector, EPSG 9606; coordinate_frame "
                        "is EPSG 9607, rotations of opposite sign)")
    a.add_argument("--replace", action="store_true", help="replace a system of the same name")
    a.add_argument("--description", default="", help="a note kept with the system")
    a.set_defaults(func=run_add)

    ls = acts.add_parser("list", help="list the project's local systems")
    ls.add_argument("--json", action="store_true", help="print one JSON object")
    ls.set_defaults(func=run_list)

    rm = acts.add_parser("remove", help="remove a local system from the project")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(func=run_remove)


def _open(args, read_only):
    from pathlib import Path

    from smartgis.cli.common import open_project
    from smartgis.errors import ProjectFileError
    from smartgis.i18n import _
    if not Path(args.project).exists():
        raise ProjectFileError(_("no such project file (create it with 'smartgis new')"), args.project)
    return open_project(args.project, read_only=read_only)


def fit_json(system, result) -> dict:
    """The ``crs fit --json`` object."""
    return {"name": system.name, "model": result.model, "base": result.base, "parameters": result.parameters,
            "rms_m": result.rms_m,
            "residuals": [{"id": r["id"], "dx": r["dx"], "dy": r["dy"], "r": r["r"]} for r in result.residuals],
            "outliers": list(result.outliers)}


def run_fit(args) -> int:
    from smartgis.cli.common import print_json, say
    from smartgis.crs.local import LocalCRS, fit
    from smartgis.i18n import _
    from smartgis.io.control_points import read_points
    from smartgis.project.local_crs import put_local_crs

    project = _open(args, read_only=False)
    points = read_points(args.points, need_z=args.model == "helmert7")
    exclude = [e.strip() for e in args.exclude.split(",") if e.strip()]
    result = fit(points, args.model, args.base or project.crs, exclude=exclude, threshold_m=args.threshold)
    system = LocalCRS(args.name, result.base, args.model, result.parameters, fit=result.to_dict(),
                      description=args.description)
    put_local_crs(project, system, replace=True)
    project.save()
    if args.json:
        print_json(fit_json(system, result))
        return 0
    say(_("{name}: {model} fitted to {used} of {n} control points, RMS {rms} m", name=system.name, model=args.model,
          used=result.used, n=len(points), rms=f"{result.rms_m:.4f}"))
    print("  " + system.summary())
    print(f"  {'id':<12}{'dx (m)':>11}{'dy (m)':>11}{'r (m)':>10}")
    for r in result.residuals:
        flag = " outlier" if r["outlier"] else (" excluded" if r["excluded"] else "")
        print(f"  {r['id']:<12}{r['dx']:>11.4f}{r['dy']:>11.4f}{r['r']:>10.4f}{flag}")
    worst = ", ".join(f"{r['id']} {r['r']:.4f}" for r in result.worst(3))
    say(_("worst points: {points}", points=worst))
    if result.outliers:
        say(_("outliers (residual above {limit} m): {ids}; {what}", limit=f"{result.threshold_m:.4f}",
              ids=", ".join(result.outliers),
              what=_("refitted without them (first fit RMS {rms} m)", rms=f"{result.first_rms_m:.4f}")
              if result.refitted else _("not refitted")))
    for note in result.notes:
        say(note)
    say(_("saved {name} in {path}", name=system.name, path=project.path))
    return 0


def run_add(args) -> int:
    from smartgis.cli.common import say
    from smartgis.crs.local import PARAMETERS, LocalCRS, to_position_vector
    from smartgis.i18n import _
    from smartgis.project.local_crs import put_local_crs

    project = _open(args, read_only=False)
    model = "helmert2d" if args.helmert2d else ("affine" if args.affine else "helmert7")
    text = getattr(args, model)
    names = PARAMETERS[model]
    params = dict(zip(names, _floats(text, len(names), f"--{model}")))
    if model == "helmert7":
        params = to_position_vector(params, args.convention)
    system = LocalCRS(args.name, args.base or project.crs, model, params, convention="position_vector",
                      description=args.description or (f"rotations given as {args.convention}"
                                                       if model == "helmert7" else ""))
    put_local_crs(project, system, replace=args.replace)
    project.save()
    say(_("added {name}: {summary} on {base}", name=system.name, summary=system.summary(), base=system.base))
    return 0


def system_json(system) -> dict:
    fit = system.fit or {}
    return {"name": system.name, "base": system.base, "model": system.model, "parameters": system.parameters,
            "convention": system.convention if system.model == "helmert7" else None,
            "rms_m": fit.get("rms_m"), "points": len(fit.get("residuals") or []) or None,
            "outliers": fit.get("outliers") or [], "description": system.description}


def run_list(args) -> int:
    from smartgis.cli.common import print_json, say
    from smartgis.i18n import _
    from smartgis.project.local_crs import local_systems

    project = _open(args, read_only=True)
    systems = local_systems(project)
    if args.json:
        print_json({"project": str(project.path), "local_crs": [system_json(s) for s in systems.values()]})
        return 0
    if not systems:
        say(_("no local coordinate systems in the project (add one with 'smartgis crs PROJECT fit' or 'add')"))
        return 0
    for s in systems.values():
        fit = s.fit
        extra = _(", fitted to {n} points, RMS {rms} m", n=fit.get("points_used"), rms=f"{fit['rms_m']:.4f}") \
            if fit else ""
        print(f"{s.name}  [{s.base}] {s.summary()}{extra}")
    return 0


def run_remove(args) -> int:
    from smartgis.cli.common import say
    from smartgis.i18n import _
    from smartgis.project.local_crs import remove_local_crs
    project = _open(args, read_only=False)
    remove_local_crs(project, args.name)
    project.save()
    say(_("removed {name} from {path}", name=args.name, path=project.path))
    return 0
