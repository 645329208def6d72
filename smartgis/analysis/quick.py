"""The quick answer: how much of the study area (and of its people) one element type covers."""

from __future__ import annotations

import time

from smartgis.analysis.context import CheckContext
from smartgis.analysis.outcome import NotApplicable
from smartgis.errors import UsageError
from smartgis.i18n import _, bilingual, message_of


def coverage(project, type_id: str, radius: float | None = None, network: bool = False, ctx=None) -> dict:
    """Coverage of the study area by the elements of one type.

    Parameters
    ----------
    project : Project
    type_id : str
        A catalog type id.
    radius : float, optional
        Overrides the elements' own radius / range / walking distance (metres).
    network : bool
        Walking distance along the road network instead of straight-line distance.
    ctx : CheckContext, optional
        The context to measure in (an indicator assessment passes one that holds only
        the elements of a construction phase); default: the whole design.

    Returns
    -------
    dict
        ``type``, ``elements``, ``scope_area_m2``, ``covered_area_m2``, ``area_ratio``,
        ``population_ratio`` (None without a population layer) and ``elapsed_s`` — the
        computing time, after the project's data has been read.  ``notes`` lists what
        the user should know (no study-area layer, elements off the network ...).
    """
    t = project.catalog.get(type_id)  # CatalogError names close matches
    if radius is not None and radius <= 0:
        raise UsageError(_("--radius must be positive, not {radius:g}", radius=radius))
    ctx = ctx if ctx is not None else CheckContext(project)
    notes = []
    # read what the computation needs before the clock starts
    es = ctx.elements([type_id])
    try:
        scope = ctx.study_area()
    except NotApplicable as exc:
        raise UsageError(_("{reason}; nothing to measure coverage against", reason=message_of(exc))) from None
    if scope.note:
        notes.append(scope.note)
    if network:
        try:
            ctx.network()
        except NotApplicable as exc:
            raise UsageError(_("--network: {reason}", reason=message_of(exc))) from None
    try:
        pop = ctx.population()
    except NotApplicable as exc:
        pop = None
        notes.append(message_of(exc))
    es.xy  # noqa: B018 - read the coordinates before the clock starts
    t0 = time.perf_counter()
    params: dict = {}
    if radius is not None:
        params.update(radius=float(radius), range=float(radius), distance=float(radius))
    model = t.coverage.model
    if network:
        params["model"] = "network"
    elif model == "network":
        params["model"] = "circle"
    elif model == "none" and radius is None:
        raise UsageError(_("{type} elements have no coverage model; give --radius", type=type_id))
    covered = 0.0
    pop_ratio = None
    if len(es):
        fp = ctx.footprint(es, params)
        notes.extend(fp.notes)
        covered = fp.area(scope.geometry)
        if pop is not None:
            total = pop.within(scope.geometry)
            pop_ratio = pop.covered(fp, scope.geometry) / total if total > 0 else None
    elif pop is not None:
        pop_ratio = 0.0
    if not len(es):
        notes.append(_("the design has no {types} ({ids})", types=bilingual(t.name), ids=type_id))
    elapsed = time.perf_counter() - t0
    return {"type": type_id, "elements": int(len(es)), "scope_area_m2": round(scope.area, 1),
            "covered_area_m2": round(covered, 1), "area_ratio": round(covered / scope.area, 6) if scope.area else None,
            "population_ratio": round(pop_ratio, 6) if pop_ratio is not None else None,
            "elapsed_s": round(elapsed, 4), "notes": list(dict.fromkeys(notes))}
