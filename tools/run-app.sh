#!/usr/bin/env bash
# Set up (if needed) and open SmartGIS on the sample project.
# Extra arguments go to `smartgis gui`, e.g. --lang en, or --screenshot window.png
# together with QT_QPA_PLATFORM=offscreen on a machine without a display.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
sample=$(ls sample_projects/*.gpkg 2>/dev/null | head -n 1 || true)
exec .venv/bin/smartgis gui ${sample:+"$sample"} "$@"
