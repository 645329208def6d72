"""Design tools on the map: place elements from the catalog, draw networks and areas,
select, move, rotate, reshape, delete, copy and paste them.

Every edit goes through :class:`smartgis.core.design.Design`, so it is one step on
the project's undo stack (mirrored by the window's ``QUndoStack``).  The tools snap
to the vertices and edges of every visible layer within a pixel tolerance and show
where with a marker.
"""

from smartgis.ui.maptools.design.edit import MoveTool, RotateTool, SelectTool, VertexTool
from smartgis.ui.maptools.design.place import PlacePointTool, SketchTool, tool_for_type

__all__ = ["MoveTool", "PlacePointTool", "RotateTool", "SelectTool", "SketchTool", "VertexTool", "tool_for_type"]
