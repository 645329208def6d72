"""Dialogs of the window: new project, CRS chooser, layer properties and styles, settings."""
