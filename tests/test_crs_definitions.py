"""PROJ strings that PROJ reads but that cannot be what the user meant are refused."""

from __future__ import annotations

import warnings

import pyproj
import pytest

from smartgis.crs import parse_crs
from smartgis.errors import CRSError

GUANGZHOU_2000 = "+proj=tmerc +lat_0=0 +lon_0=113.283333333 +k=1 +x_0=39980 +y_0=-2329620 +ellps=GRS80 +units=m"


@pytest.mark.parametrize("text,problem", [
    ("+proj=tmerc +lon_0=114 ...", "'...' is not a +parameter=value"),
    ("+proj=tmerc +lon_0=114", "no ellipsoid or datum"),
    ("+proj=tmerc +ellps=GRS80 +x_0=500000", "no central meridian"),
    ("+proj=tmerc +lon_0=114 +ellps=GRS80 +x0=500000", "+x0"),
])
def test_incomplete_or_misspelt_proj_strings(text, problem):
    with pytest.raises(CRSError) as err:
        parse_crs(text)
    assert problem in str(err.value)


def test_complete_grids_and_every_epsg_projection_in_china_pass():
    assert parse_crs(GUANGZHOU_2000).ellipsoid.name == "GRS 1980"
    assert parse_crs("+init=epsg:4547").is_projected
    from pyproj.aoi import AreaOfInterest
    from pyproj.database import query_crs_info
    china = AreaOfInterest(73.0, 18.0, 135.0, 54.0)
    n = 0
    for info in query_crs_info(auth_name="EPSG", pj_types=["PROJECTED_CRS"], area_of_interest=china):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                text = pyproj.CRS.from_epsg(int(info.code)).to_proj4()
            except pyproj.exceptions.CRSError:
                continue
        if text:
            parse_crs(text)   # PROJ's own strings are complete
            n += 1
    assert n > 100
