"""Indicator systems and the scoring of a city against them (Qt-free).

GB/T 33356-2022 (the default), GB/T 33356-2016 and the MOHURD 2012 pilot index ship as
data in ``resources/indicators/``; a city's own system is one more file.  Indicators the
map can measure are derived from the design by the check engine, for 现状 (existing
elements) and each construction phase; the others are entered and kept in the project
file.  Importing this package registers that table.
"""

from smartgis.indicators.assess import Assessment, Row, assess, stages_of
from smartgis.indicators.phases import CURRENT, order_phases, phase_names
from smartgis.indicators.systems import DEFAULT_SYSTEM, IndicatorSystem, builtin_systems, get_system, load_system_file
from smartgis.indicators.values import VALUES_TABLE, set_value, stored

__all__ = ["Assessment", "CURRENT", "DEFAULT_SYSTEM", "IndicatorSystem", "Row", "VALUES_TABLE", "assess",
           "builtin_systems", "get_system", "load_system_file", "order_phases", "phase_names", "set_value",
           "stages_of", "stored"]
