"""5G planning for SmartGIS: radio coverage of base stations; see README.md."""
