#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite, offscreen.
# Extra arguments go to pytest (e.g. -k import -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export SMARTGIS_TEST_DATA=${SMARTGIS_TEST_DATA:-$(cd .. && pwd)/shared/data}
exec .venv/bin/python -m pytest "$@"
