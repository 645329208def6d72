#!/usr/bin/env bash
# Set up SmartGIS on a Debian/Ubuntu machine: system libraries Qt and the tests need,
# a virtual environment in .venv, and SmartGIS installed into it (editable).
# Safe to run again: it only installs what is missing.
#   SMARTGIS_NO_APT=1   skip the system packages (you installed them yourself)
#   PYTHON=python3.12   use another interpreter (>= 3.10)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}

# Qt's runtime libraries (xcb and offscreen platforms), a Chinese font, and for the
# tests GDAL's GeoPackage validator (python3-gdal), pdftoppm (poppler-utils) and QGIS's
# Python bindings (python3-qgis, qgis-providers: project files drawn by QGIS the same way).
APT_PKGS=(libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
          libxcb-render-util0 libxcb-image0 fonts-wqy-microhei python3-gdal poppler-utils xvfb
          python3-qgis qgis-providers)
# Team projects: a PostgreSQL server with PostGIS (the tests start a throwaway cluster;
# an institute points SmartGIS at its own server). Exact package names, so that a
# second run finds them installed and does not call apt again.
PG_VERSION=${SMARTGIS_PG_VERSION:-15}
APT_PKGS+=(postgresql-$PG_VERSION postgresql-client-$PG_VERSION postgresql-$PG_VERSION-postgis-3)

if [ -z "${SMARTGIS_NO_APT:-}" ] && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${APT_PKGS[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv 2>/dev/null; then
    # Debian's python3 needs python3-venv for ensurepip
    rm -rf .venv
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "python${ver}-venv" >/dev/null || \
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    "$PY" -m venv .venv
  fi
fi

stamp=.venv/.smartgis-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".[test]"
  touch "$stamp"
fi
echo "setup: ready ($ROOT/.venv, $(.venv/bin/smartgis --version))"
