"""Pure plane geometry of a design, below the model: no project, no layers, no Qt.

* :mod:`smartgis.geometry.placement` — points along lines, grids, intersections,
  nearest links and coverage shapes for batch layout;
* :mod:`smartgis.geometry.snapping` — snapping to vertices and edges;
* :mod:`smartgis.geometry.circles` — discs and sectors as polygons, exact union areas;
* :mod:`smartgis.geometry.sectors` — the visible part of a camera's sector.

Functions take and return numpy arrays and shapely geometries in metres, so the
design (``smartgis.core``), the coverage engine (``smartgis.analysis``) and the map
tools share them.
"""
