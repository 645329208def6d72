"""The Qt-free model of a top-level design: project, layers, layer tree, styles,
element catalog, design and the undo command stack.

Nothing in this package imports Qt; the window and the renderer observe the model
through :class:`smartgis.core.events.Signal` objects.
"""

from smartgis.core.catalog import Catalog, CoverageModel, ElementType, default_catalog
from smartgis.core.commands import Command, CommandStack
from smartgis.core.design import Design, ElementLayer
from smartgis.core.fields import Field
from smartgis.core.layers import Layer, RasterLayer, VectorLayer
from smartgis.core.layertree import LayerTree, LayerTreeGroup, LayerTreeLayer
from smartgis.core.project import Project
from smartgis.core.style import RasterStyle, VectorStyle
from smartgis.core.table import AttributeTable

__all__ = [
    "AttributeTable", "Catalog", "Command", "CommandStack", "CoverageModel", "Design",
    "ElementLayer", "ElementType", "Field", "Layer", "LayerTree", "LayerTreeGroup",
    "LayerTreeLayer", "Project", "RasterLayer", "RasterStyle", "VectorLayer", "VectorStyle",
    "default_catalog",
]
