"""The Qt widgets: main window, map canvas, map tools, panels and dialogs.

The window shows and edits the Qt-free model (:mod:`smartgis.core`); it keeps no
state of its own that a save would need.
"""
