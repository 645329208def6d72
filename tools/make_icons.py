#!/usr/bin/env python3
"""Write the element-type icons in resources/icons/ from the catalog.

Each icon is a 24×24 SVG: a pictogram on a shape that tells the category (a disc
for sensors, a rounded square for facilities, a hexagon for networks) filled with
the type's map colour.  The pictogram is white, or near-black on light colours,
whichever contrasts more.  Run it again after adding a type to the catalog:

    .venv/bin/python tools/make_icons.py            # write the SVGs
    .venv/bin/python tools/make_icons.py --sheet icons.png   # and a contact sheet (needs Qt)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Pictograms in a 24×24 box, drawn inside about 5..19.  "{g}" is the pictogram
# colour, "{b}" the background colour (for cut-outs).  Strokes are 1.6–2 units so
# they stay at least one pixel wide at 16 px.
S = 'fill="none" stroke="{g}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"'
F = 'fill="{g}"'
GLYPHS: dict[str, str] = {
    # -- sensors ------------------------------------------------------------------
    "camera": f'<rect x="4.5" y="8" width="10.5" height="6" rx="1.2" {F}/>'
              f'<path d="M15 9.6 19.5 7.5v8.5L15 13.9z" {F}/>'
              f'<path d="M8.5 14v3.5H5" {S}/>',
    "air_quality": f'<path d="M4.5 9.5h9a2.5 2.5 0 1 0-2.5-2.5M4.5 13h13a2.5 2.5 0 1 1-2.5 2.5M4.5 16.5h6" {S}/>',
    "noise_monitor": f'<path d="M5 10h3l4-3.5v11L8 14H5z" {F}/>'
                     f'<path d="M14.5 9.5a3.5 3.5 0 0 1 0 5M16.8 7.3a6.6 6.6 0 0 1 0 9.4" {S}/>',
    "water_quality": f'<path d="M12 4.5c3 3.8 5.2 6.6 5.2 9.3a5.2 5.2 0 0 1-10.4 0c0-2.7 2.2-5.5 5.2-9.3z" {F}/>'
                     f'<path d="M9.6 14.2l1.7 1.7 3.2-3.4" fill="none" stroke="{{b}}" stroke-width="1.6" '
                     f'stroke-linecap="round" stroke-linejoin="round"/>',
    "water_level": f'<path d="M14.5 5v13M14.5 5h3M14.5 8.5h2M14.5 12h3" {S}/>'
                   f'<path d="M4.5 14.5c1.3 0 1.3-1 2.6-1s1.3 1 2.6 1 1.3-1 2.6-1M4.5 18c1.3 0 1.3-1 2.6-1s1.3 1 '
                   f'2.6 1 1.3-1 2.6-1 1.3 1 2.6 1 1.3-1 2.6-1" {S}/>',
    "traffic_detector": f'<rect x="8.5" y="4" width="7" height="16" rx="2.2" {F}/>'
                        f'<circle cx="12" cy="7.8" r="1.5" fill="{{b}}"/><circle cx="12" cy="12" r="1.5" fill="{{b}}"/>'
                        f'<circle cx="12" cy="16.2" r="1.5" fill="{{b}}"/>',
    "smart_pole": f'<path d="M9 19.5V5.5h6" {S}/><path d="M13.5 5.5h5v2.3h-5z" {F}/>'
                  f'<path d="M12.5 11a3 3 0 0 1 0 4.2M15 8.8a6 6 0 0 1 0 8.6" {S}/><path d="M6 19.5h6" {S}/>',
    "street_light": f'<path d="M8 19.5V8a3 3 0 0 1 3-3h4" {S}/><path d="M13.5 5h5l-1 2.2h-3z" {F}/>'
                    f'<path d="M14.5 9.5 13.5 13M17.5 9.5l1 3.5" fill="none" stroke="{{g}}" stroke-width="1.2" '
                    f'stroke-linecap="round" stroke-dasharray="1 1.6"/><path d="M5.5 19.5h5" {S}/>',
    "iot_gateway": f'<rect x="6" y="14" width="12" height="5" rx="1.2" {F}/><path d="M12 14V8.5" {S}/>'
                   f'<circle cx="12" cy="7.5" r="1.4" {F}/>'
                   f'<path d="M9.2 4.8a4 4 0 0 0 0 5.4M14.8 4.8a4 4 0 0 1 0 5.4" {S}/>'
                   f'<circle cx="9" cy="16.5" r="0.9" fill="{{b}}"/><circle cx="12" cy="16.5" r="0.9" fill="{{b}}"/>',
    "cell_5g_macro": f'<path d="M12 8.5 8.5 19.5M12 8.5l3.5 11M9.6 16h4.8M10.5 13h3" {S}/>'
                     f'<circle cx="12" cy="7" r="1.6" {F}/>'
                     f'<path d="M8.4 3.9a5 5 0 0 0 0 6.2M15.6 3.9a5 5 0 0 1 0 6.2" {S}/>'
                     f'<path d="M5.8 2.9a8.2 8.2 0 0 0 0 8.4M18.2 2.9a8.2 8.2 0 0 1 0 8.4" fill="none" stroke="{{g}}" '
                     f'stroke-width="1.4" stroke-linecap="round"/>',
    "cell_5g_small": f'<path d="M9 19.5V11" {S}/><rect x="6.5" y="6.5" width="5" height="6" rx="1" {F}/>'
                     f'<path d="M14 7.5a3 3 0 0 1 0 4M16.3 5.6a6 6 0 0 1 0 7.8" {S}/><path d="M6.5 19.5h5" {S}/>',
    # -- facilities -----------------------------------------------------------------
    "fire_station": f'<path d="M12 4c.6 3 4.8 4.9 4.8 9.5a4.8 4.8 0 0 1-9.6 0c0-2.3 1.1-3.6 2.3-4.8.2 1.6.8 2.6 '
                    f'1.8 3C11.6 9.7 11 6.9 12 4z" {F}/>'
                    f'<path d="M12 19c-1.6 0-2.6-1.1-2.6-2.6 0-1.3.9-2.1 1.6-2.9.4 1 .8 1.2 1.4 1.4.3-.9.6-1.6.3-2.6 '
                    f'1.3.9 1.9 2.3 1.9 3.9 0 1.6-1.1 2.8-2.6 2.8z" fill="{{b}}"/>',
    "kindergarten": f'<circle cx="12" cy="6.8" r="2.3" {F}/><path d="M12 9.8 7 17.5h10z" {F}/>'
                    f'<path d="M10.2 17.5v2M13.8 17.5v2M8.5 12 6 10.5M15.5 12 18 10.5" {S}/>',
    "primary_school": f'<path d="M5 12.5 12 8l7 4.5" {S}/><path d="M6.5 12v7.5h11V12" {S}/>'
                      f'<rect x="10.5" y="15" width="3" height="4.5" {F}/><path d="M12 8V3.8" {S}/>'
                      f'<path d="M12 3.8h4l-1 1.3 1 1.3h-4z" {F}/>',
    "middle_school": f'<path d="M12 7.5c-2-1.4-4.6-1.8-7-1.5v11c2.4-.3 5 .1 7 1.5 2-1.4 4.6-1.8 7-1.5V6c-2.4-.3-5 .1-7 '
                     f'1.5z" {F}/><path d="M12 8v9.8" stroke="{{b}}" stroke-width="1.3"/>',
    "health_centre": f'<path d="M10 5h4v5h5v4h-5v5h-4v-5H5v-4h5z" {F}/>',
    "health_station": f'<rect x="4.5" y="8" width="15" height="11" rx="1.8" {F}/>'
                      f'<path d="M9.5 8V6.3a1.3 1.3 0 0 1 1.3-1.3h2.4a1.3 1.3 0 0 1 1.3 1.3V8" {S}/>'
                      f'<path d="M12 10.5v6M9 13.5h6" stroke="{{b}}" stroke-width="2" stroke-linecap="round"/>',
    "elderly_care": f'<circle cx="10.5" cy="5.6" r="2" {F}/>'
                    f'<path d="M10.5 8.5c-1.6 1.5-2.3 3.5-2 5.5l1 5.5M10.3 13.5l2.3 6M11 9.8l3 2.4" {S}/>'
                    f'<path d="M15.5 12v7.5M15.5 12c0-1 .8-1.5 1.6-1.2" fill="none" stroke="{{g}}" stroke-width="1.4" '
                    f'stroke-linecap="round"/>',
    "community_centre": f'<circle cx="12" cy="6.8" r="2.2" {F}/><circle cx="6.8" cy="9" r="1.8" {F}/>'
                        f'<circle cx="17.2" cy="9" r="1.8" {F}/><path d="M8.3 18.5v-3.2a3.7 3.7 0 0 1 7.4 0v3.2z" {F}/>'
                        f'<path d="M3.8 18.5v-2.6a3 3 0 0 1 4.5-2.6M20.2 18.5v-2.6a3 3 0 0 0-4.5-2.6" {S}/>',
    "community_station": f'<path d="M5 11.5 12 5.5l7 6" {S}/><path d="M6.8 10.5v8.5h10.4v-8.5" {S}/>'
                         f'<circle cx="12" cy="12" r="1.7" {F}/><path d="M9.3 18.9a2.7 2.7 0 0 1 5.4 0z" {F}/>',
    "sports_ground": f'<circle cx="12" cy="12" r="6.8" {S}/>'
                     f'<path d="M12 9.2l2.6 1.9-1 3h-3.2l-1-3z" {F}/>'
                     f'<path d="M12 9.2V5.3M14.6 11.1l3.6-1.3M13.6 14.1l2.2 3.2M10.4 14.1l-2.2 3.2M9.4 11.1 5.8 9.8" '
                     f'fill="none" stroke="{{g}}" stroke-width="1.2"/>',
    "food_market": f'<path d="M4.5 10h15l-1.8 8.5H6.3z" {F}/><path d="M8.5 10 11 5M15.5 10 13 5" {S}/>'
                   f'<path d="M9.3 12.5v3.5M12 12.5v3.5M14.7 12.5v3.5" stroke="{{b}}" stroke-width="1.3" '
                   f'stroke-linecap="round"/>',
    "emergency_shelter": f'<path d="M12 5 4.5 18.5h15z" {F}/><path d="M12 10.5l-2.6 8h5.2z" fill="{{b}}"/>'
                         f'<path d="M12 5 10.5 2.8M12 5l1.5-2.2" {S}/>',
    "bus_stop": f'<rect x="6" y="4.5" width="12" height="13" rx="2.2" {F}/>'
                f'<rect x="7.8" y="6.8" width="8.4" height="4.6" rx="0.8" fill="{{b}}"/>'
                f'<circle cx="9" cy="14.5" r="1.1" fill="{{b}}"/><circle cx="15" cy="14.5" r="1.1" fill="{{b}}"/>'
                f'<path d="M8 17.5v2M16 17.5v2" {S}/>',
    "metro_station": f'<path d="M5.5 18.5V6l6.5 8 6.5-8v12.5" fill="none" stroke="{{g}}" stroke-width="2.4" '
                     f'stroke-linecap="round" stroke-linejoin="round"/>',
    "public_toilet": f'<circle cx="8" cy="5.8" r="1.8" {F}/><circle cx="16" cy="5.8" r="1.8" {F}/>'
                     f'<path d="M6.3 8.5h3.4v5.5H8.9v5H7.1v-5h-.8z" {F}/><path d="M16 8.3l3 7.2h-6z" {F}/>'
                     f'<path d="M15 15.5v3.5M17 15.5v3.5M12 4.5v15" fill="none" stroke="{{g}}" stroke-width="1.3" '
                     f'stroke-linecap="round"/>',
    "refuse_point": f'<path d="M6.5 8.5h11l-1.2 10.5H7.7z" {F}/><path d="M5 6.5h14M10 6.5V5h4v1.5" {S}/>'
                    f'<path d="M10 11v5.5M14 11v5.5" stroke="{{b}}" stroke-width="1.3" stroke-linecap="round"/>',
    "park": f'<path d="M12 3.5c2.9 0 5.2 2.2 5.2 5 1.3.8 2 2 2 3.4 0 2.3-2 4.1-4.4 4.1H9.2c-2.4 0-4.4-1.8-4.4-4.1 '
            f'0-1.4.7-2.6 2-3.4 0-2.8 2.3-5 5.2-5z" {F}/><path d="M12 14v6M8.5 20h7" {S}/>'
            f'<path d="M12 16v-4.5M12 13.5l2-1.7" stroke="{{b}}" stroke-width="1.4" stroke-linecap="round"/>',
    "ev_charger": f'<rect x="5.5" y="4.5" width="9" height="15" rx="1.5" {F}/>'
                  f'<path d="M10.8 6.8 7.9 12h2.6l-1.1 4.8 3.2-5.8H10z" fill="{{b}}"/>'
                  f'<path d="M14.5 9h1.8a1.3 1.3 0 0 1 1.3 1.3v5.2a1.2 1.2 0 0 0 2.4 0V8.5l-1.6-2" {S}/>',
    "data_centre": f'<rect x="5.5" y="4" width="13" height="4.5" rx="1" {F}/>'
                   f'<rect x="5.5" y="9.75" width="13" height="4.5" rx="1" {F}/>'
                   f'<rect x="5.5" y="15.5" width="13" height="4.5" rx="1" {F}/>'
                   f'<circle cx="8" cy="6.25" r="0.9" fill="{{b}}"/><circle cx="8" cy="12" r="0.9" fill="{{b}}"/>'
                   f'<circle cx="8" cy="17.75" r="0.9" fill="{{b}}"/>'
                   f'<path d="M11 6.25h5M11 12h5M11 17.75h5" stroke="{{b}}" stroke-width="1.1" stroke-linecap="round"/>',
    "operations_centre": f'<rect x="3.8" y="5" width="16.4" height="11" rx="1.5" {F}/>'
                         f'<path d="M6.5 13l3-3.2 2.5 2 3.2-4 2.3 2" fill="none" stroke="{{b}}" stroke-width="1.5" '
                         f'stroke-linecap="round" stroke-linejoin="round"/><path d="M12 16v3M8.5 19.5h7" {S}/>',
    # -- networks -----------------------------------------------------------------
    "fibre_backbone": f'<circle cx="12" cy="12" r="7" {S}/><circle cx="12" cy="12" r="1.5" {F}/>'
                      f'<circle cx="12" cy="8.2" r="1.3" {F}/><circle cx="12" cy="15.8" r="1.3" {F}/>'
                      f'<circle cx="8.7" cy="10.1" r="1.3" {F}/><circle cx="15.3" cy="10.1" r="1.3" {F}/>'
                      f'<circle cx="8.7" cy="13.9" r="1.3" {F}/><circle cx="15.3" cy="13.9" r="1.3" {F}/>',
    "fibre_access": f'<path d="M4.5 17c3 0 3.5-6 7.5-6s3.5-4 5-4" {S}/><rect x="15.5" y="4.5" width="4.5" height="5" '
                    f'rx="1" {F}/><circle cx="4.8" cy="17" r="1.6" {F}/>',
    "power_line": f'<path d="M13.5 3.8 6.5 13.2h5l-1.5 7 7.5-9.9h-5.1z" {F}/>',
    "water_pipe": f'<path d="M4.5 8.5h8.5a3 3 0 0 1 3 3v1.5" {S}/><path d="M4.5 6.5v4" {S}/>'
                  f'<path d="M9 8.5V6M7 6h4" {S}/>'
                  f'<path d="M16 15.2c.9 1.2 1.6 2.1 1.6 2.9a1.6 1.6 0 0 1-3.2 0c0-.8.7-1.7 1.6-2.9z" {F}/>',
    "drainage_pipe": f'<circle cx="12" cy="12" r="7" {S}/>'
                     f'<path d="M8.2 9.2h7.6M7.3 12h9.4M8.2 14.8h7.6" fill="none" stroke="{{g}}" stroke-width="1.5" '
                     f'stroke-linecap="round"/>',
    "gas_pipe": f'<path d="M12 4.5c.5 2.5 4 4 4 7.6a4 4 0 0 1-8 0c0-1.9.9-3 1.9-4 .2 1.3.7 2.1 1.5 2.5C11.6 9 11.2 '
                f'6.7 12 4.5z" {F}/><path d="M5 19h14M7.5 17v2M16.5 17v2" {S}/>',
    "heat_pipe": f'<path d="M8 18.5c-1.6-1.8 1.6-3.6 0-5.4s1.6-3.6 0-5.4M12 18.5c-1.6-1.8 1.6-3.6 0-5.4s1.6-3.6 0-5.4'
                 f'M16 18.5c-1.6-1.8 1.6-3.6 0-5.4s1.6-3.6 0-5.4" {S}/>',
    "utility_tunnel": f'<path d="M5 19V11.5a7 7 0 0 1 14 0V19z" {S}/>'
                      f'<circle cx="9.5" cy="12.5" r="1.7" {F}/><circle cx="14.5" cy="12.5" r="1.7" {F}/>'
                      f'<circle cx="12" cy="8.6" r="1.5" {F}/><path d="M8 16.3h8" {S}/>',
    "link": f'<path d="M8 16 16 8" {S}/><circle cx="7" cy="17" r="2.5" {F}/><circle cx="17" cy="7" r="2.5" {F}/>'
            f'<circle cx="12" cy="12" r="1.2" {F}/>',
}

#: Icons of the design tools' actions, in the style of resources/icons/ui (grey strokes,
#: one accent colour), written as resources/icons/ui/design_<name>.svg.
_G = 'stroke="#5a6470" stroke-width="1.6"'
UI_ICONS: dict[str, str] = {
    "select": f'<path d="M5 3.5l11 5-4.6 1.5L15 16l-2 1.6-3.4-5.8L6.2 15z" fill="#ffffff" stroke="#202020" '
              f'stroke-width="1.2"/><circle cx="17.5" cy="18" r="3.2" fill="#d62728" stroke="#9a1c1c"/>',
    "move": f'<path d="M12 3v18M3 12h18M9 6l3-3 3 3M9 18l3 3 3-3M6 9l-3 3 3 3M18 9l3 3-3 3" {_G}/>'
            f'<circle cx="12" cy="12" r="3" fill="#d62728" stroke="#9a1c1c"/>',
    "rotate": f'<path d="M6 18L6 18 12.5 5a9 9 0 0 1 6.3 9.4z" fill="#f4b3b3" stroke="#d62728" stroke-width="1.3"/>'
              f'<circle cx="6" cy="18" r="2.2" fill="#d62728"/>'
              f'<path d="M4 10.5A8.5 8.5 0 0 1 9 4.2" {_G}/><path d="M9.2 1.8 9.3 4.4 6.8 5.2" {_G}/>',
    "vertices": f'<path d="M4 18 9 7l6 8 5-10" {_G}/>'
                f'<rect x="2" y="16" width="4" height="4" fill="#ff6a00"/><rect x="7" y="5" width="4" height="4" '
                f'fill="#ff6a00"/><rect x="13" y="13" width="4" height="4" fill="#1e64c8"/>'
                f'<rect x="18" y="3" width="4" height="4" fill="#ff6a00"/>',
    "copy": f'<rect x="8" y="8" width="12" height="13" rx="1.5" fill="#ffffff" {_G}/>'
            f'<path d="M16 5.5V4.5A1.5 1.5 0 0 0 14.5 3h-9A1.5 1.5 0 0 0 4 4.5v11A1.5 1.5 0 0 0 5.5 17H8" {_G}/>'
            f'<circle cx="14" cy="14.5" r="2.6" fill="#d62728"/>',
    "paste": f'<rect x="4.5" y="5" width="15" height="16" rx="1.5" fill="#f2e6c9" {_G}/>'
             f'<rect x="8.5" y="3" width="7" height="4" rx="1" fill="#ffffff" {_G}/>'
             f'<circle cx="12" cy="14" r="3" fill="#d62728"/>',
    "attributes": f'<rect x="3" y="4" width="14" height="16" rx="1.5" fill="#ffffff" {_G}/>'
                  f'<path d="M6 8.5h8M6 12h8M6 15.5h4" {_G}/>'
                  f'<path d="M20.5 9.5l-7 7-2.5.6.6-2.5 7-7z" fill="#ffd400" stroke="#8a6d00" stroke-width="1.2"/>',
    "batch": f'<path d="M3 16.5 21 7.5" {_G}/><g fill="#8c564b">'
             f'<circle cx="4.5" cy="11" r="1.8"/><circle cx="10" cy="8.3" r="1.8"/><circle cx="15.5" cy="5.5" r="1.8"/>'
             f'<circle cx="8.5" cy="19.6" r="1.8"/><circle cx="14" cy="16.8" r="1.8"/><circle cx="19.5" cy="14" r="1.8"/>'
             f'</g>',
    "snap": f'<path d="M6 4v7a6 6 0 0 0 12 0V4h-4v7a2 2 0 0 1-4 0V4z" fill="#c0392b" stroke="#7b241c" '
            f'stroke-width="1.2"/><path d="M6 4h4v3H6zM14 4h4v3h-4z" fill="#d9dde2" stroke="#7b241c" '
            f'stroke-width="1.2"/><rect x="10" y="18.5" width="4" height="4" fill="none" stroke="#ff00ff" '
            f'stroke-width="1.6"/>',
    "palette": '<circle cx="7.5" cy="7.5" r="4" fill="#d62728"/><rect x="13" y="3.5" width="8" height="8" rx="2" '
               'fill="#ffbb78"/><rect x="3.5" y="13" width="8" height="8" rx="2" fill="#98df8a"/>'
               '<path d="M14 13.5h5l2.5 3.5-2.5 3.5h-5L11.5 17z" fill="#ff7f00"/>',
    "import_catalog": f'<path d="M4 5.5c2.4-1.2 5-1.2 7 .3v14c-2-1.5-4.6-1.5-7-.3zM11 5.8c2-1.5 4.6-1.5 7-.3v6" '
                      f'fill="#ffffff" {_G}/><circle cx="17.5" cy="17.5" r="4.5" fill="#2ca02c"/>'
                      f'<path d="M17.5 15v5M15 17.5h5" stroke="#ffffff" stroke-width="1.8"/>',
}


def ui_icon_svg(name: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" fill="none" '
            f'stroke-linecap="round" stroke-linejoin="round">{UI_ICONS[name]}</svg>\n')


#: Pictogram of a type without its own (user types): a dot.
FALLBACK = f'<circle cx="12" cy="12" r="3.2" {F}/>'


def _luminance(hex_color: str) -> float:
    h = hex_color.lstrip("#")[:6]
    rgb = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def glyph_color(background: str) -> str:
    """White or near-black, whichever has the higher contrast ratio on the background."""
    lum = _luminance(background)
    white = 1.05 / (lum + 0.05)
    dark = (lum + 0.05) / (_luminance("#1f1f1f") + 0.05)
    return "#ffffff" if white >= dark else "#1f1f1f"


def darker(color: str, f: float = 0.72) -> str:
    h = color.lstrip("#")[:6]
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return "#%02x%02x%02x" % (int(r * f), int(g * f), int(b * f))


def background(category: str, fill: str) -> str:
    edge = darker(fill)
    common = f'fill="{fill}" stroke="{edge}" stroke-width="1"'
    if category == "sensor":
        return f'<circle cx="12" cy="12" r="11" {common}/>'
    if category == "network":
        return f'<path d="M6.5 2.5h11L23 12l-5.5 9.5h-11L1 12z" {common} stroke-linejoin="round"/>'
    return f'<rect x="1.5" y="1.5" width="21" height="21" rx="5" {common}/>'


def icon_svg(type_id: str, category: str, color: str) -> str:
    """The SVG text of one type's icon."""
    g = glyph_color(color)
    body = GLYPHS.get(type_id, FALLBACK).replace("{g}", g).replace("{b}", color)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">'
            f'<title>{type_id}</title>{background(category, color)}{body}</svg>\n')


def catalog_types() -> list[dict]:
    out = []
    for p in sorted((ROOT / "resources" / "catalog").glob("*.json")):
        out.extend(json.loads(p.read_text(encoding="utf-8")).get("types", []))
    return out


def write_icons(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for t in catalog_types():
        name = t.get("icon") or f"{t['id']}.svg"
        if t["id"] not in GLYPHS:
            print(f"make_icons: no pictogram for {t['id']}; using a dot", file=sys.stderr)
        path = folder / name
        path.write_text(icon_svg(t["id"], t["category"], t.get("color", "#1f77b4")), encoding="utf-8")
        written.append(path)
    return written


def contact_sheet(paths: list[Path], out: Path) -> None:
    """A PNG of every icon at 16, 24 and 32 px on white and on a map-grey background."""
    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - keeps Qt alive
    cols, cell_w, cell_h = 4, 260, 44
    rows = (len(paths) + cols - 1) // cols
    img = QImage(cols * cell_w, rows * cell_h, QImage.Format_ARGB32)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    p.setFont(QFont("WenQuanYi Micro Hei", 8))
    for k, path in enumerate(paths):
        x0, y0 = (k % cols) * cell_w, (k // cols) * cell_h
        r = QSvgRenderer(str(path))
        x = x0 + 4
        for size in (16, 24, 32):
            r.render(p, QRectF(x, y0 + (cell_h - size) / 2, size, size))
            x += size + 6
        p.fillRect(QRectF(x, y0 + 4, 30, 36), QColor("#e8e4d8"))
        r.render(p, QRectF(x + 3, y0 + 10, 24, 24))
        p.setPen(QColor("#202020"))
        p.drawText(QRectF(x + 36, y0, cell_w - (x - x0) - 36, cell_h), Qt.AlignVCenter, path.stem)
    p.end()
    img.save(str(out))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "resources" / "icons"), help="folder to write the SVGs into")
    ap.add_argument("--sheet", help="also write a PNG contact sheet of all icons")
    args = ap.parse_args(argv)
    paths = write_icons(Path(args.out))
    ui = Path(args.out) / "ui"
    ui.mkdir(parents=True, exist_ok=True)
    for name in UI_ICONS:
        (ui / f"design_{name}.svg").write_text(ui_icon_svg(name), encoding="utf-8")
    print(f"wrote {len(paths)} element icons to {args.out} and {len(UI_ICONS)} design tool icons to {ui}")
    if args.sheet:
        contact_sheet(paths, Path(args.sheet))
        print(f"contact sheet: {args.sheet}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
