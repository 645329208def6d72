"""Window feature of the 5G plugin: Analysis → Compute 5G coverage…"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog

from smartgis.plugins.api import UsageError, _

from .coverage import RadioParams, coverage_layer, find_dem


def _tr(text: str) -> str:
    return QCoreApplication.translate("FiveG", text)


def coverage_action(ctx, threshold_dbm: float | None = None, dem: str | None = "auto"):
    """Compute the coverage of the project's 5G cells and add it as a layer.

    Uses a DEM layer of the project when there is one (``dem="auto"``).
    """
    project = ctx.project
    if project is None:
        raise UsageError(_("open a project first"))
    if not any(project.design.layers.get(t) is not None and project.design.layers[t].feature_count
               for t in ("cell_5g_macro", "cell_5g_small")):
        raise UsageError(_("the design has no 5G cells (5G macro or small cells) yet"))
    if threshold_dbm is None:
        threshold_dbm, ok = QInputDialog.getDouble(ctx.window, _tr("5G coverage"),
                                                   _tr("RSRP threshold (dBm):"), -95.0, -140.0, -40.0, 1)
        if not ok:
            return None
    dem_path = find_dem(project) if dem == "auto" else dem

    def done(result):
        lyr, r = result
        project.add_layer(lyr)
        ctx.refresh_map()
        terrain = _tr("over the DEM") if dem_path else _tr("flat ground")
        ctx.message(_tr("5G coverage: {0} cells, {1:.2f} km² at RSRP ≥ {2:g} dBm ({3})").format(
            len(r["polygons"]), sum(p.area for p in r["polygons"]) / 1e6, threshold_dbm, terrain))

    return ctx.run_task(_tr("Computing 5G coverage"), coverage_layer, project, RadioParams(threshold_dbm=threshold_dbm),
                        dem_path, on_done=done)
