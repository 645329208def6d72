"""Chinese web-map coordinates (GCJ-02, BD-09) for SmartGIS: see README.md."""
