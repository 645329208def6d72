"""Packaging a project: one file that carries everything.

Rasters a project references by path (orthophotos, DEMs) are copied into the project
file as GeoPackage tiles (with their zoom levels), so the file can go to a reviewer's
laptop, or an archive, without the folders beside it.  It lives with the importers
because embedding reads the foreign rasters through GDAL (:class:`EmbeddedTiles`);
the command line (``smartgis package``) and the window's review menu both call
:func:`package_project`.
"""

from __future__ import annotations


def package_project(project, output, progress=None) -> list[dict]:
    """Embed the project's path-referenced rasters and save it to ``output``.

    Returns
    -------
    list of dict
        One entry per embedded raster: ``layer``, ``source``, ``table``, ``notes``.

    Raises
    ------
    SourceError
        When a referenced raster is missing (nothing is written).
    """
    from pathlib import Path

    from smartgis.core.layers import RasterLayer
    from smartgis.core.progress import report, scaled
    from smartgis.errors import SourceError
    from smartgis.i18n import _, join
    from smartgis.io.raster import EmbeddedTiles
    from smartgis.project import save_project
    from smartgis.project.portable import embed_all_icons

    todo = [lyr for lyr in project.ordered_layers() if isinstance(lyr, RasterLayer) and not lyr.embedded_table]
    missing = [lyr for lyr in todo if not lyr.path or not Path(lyr.path).exists()]
    if missing:
        names = join(_("{layer!r} ({problem})", layer=lyr.name, problem=lyr.error or lyr.path) for lyr in missing)
        raise SourceError(_("cannot package: raster(s) missing: {layers}; relink or remove them first", layers=names),
                          project.path)
    done = []
    for k, lyr in enumerate(todo):
        report(progress, k, len(todo) + 1, _("embedding {layer}", layer=lyr.name))
        taken = project.table_names() | {d["table"] for d in done}
        table = _unique(f"raster_{lyr.name}", taken)
        notes: list[str] = []
        tiles = EmbeddedTiles(lyr.path, table, lyr.info, lyr.path, notes,
                              progress=scaled(progress, k / (len(todo) + 1), (k + 1) / (len(todo) + 1)))
        done.append({"layer": lyr.name, "source": lyr.path, "table": table, "notes": notes, "_tiles": tiles,
                     "_layer": lyr})
    for d in done:
        lyr = d.pop("_layer")
        lyr.pending_writer = d.pop("_tiles")
        lyr.embedded_table = d["table"]
        lyr.source = {**lyr.source, "packaged_from": d["source"]}
        lyr.path = None
    embed_all_icons(project)   # icons that opening could not embed stay references (listed by info)
    project._set_meta_dirty()
    save_project(project, output, progress=scaled(progress, len(todo) / (len(todo) + 1), 1.0))
    return done


def _unique(name: str, taken: set) -> str:
    from smartgis.project.names import table_name_for
    return table_name_for(name, taken)
