"""Map tools: what the mouse does on the map canvas.

:class:`MapTool` is the base; the built-in tools are pan, zoom box (in and out),
identify, measure (distance and area, planar and on the CGCS2000 ellipsoid) and
select (click and box).
"""

from smartgis.ui.maptools.base import MapTool
from smartgis.ui.maptools.identify import IdentifyResult, IdentifyResultsView, IdentifyTool, identify
from smartgis.ui.maptools.measure import MeasureTool
from smartgis.ui.maptools.pan import PanTool
from smartgis.ui.maptools.select import SelectTool
from smartgis.ui.maptools.zoom import ZoomTool

__all__ = ["IdentifyResult", "IdentifyResultsView", "IdentifyTool", "MapTool", "MeasureTool", "PanTool",
           "SelectTool", "ZoomTool", "identify"]
