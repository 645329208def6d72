#!/usr/bin/env bash
# Set up (if needed), check the floors of the house (import-linter contracts in
# pyproject.toml: layers, no Qt in the model, no import cycle), then run the whole
# test suite, offscreen.  Extra arguments go to pytest (e.g. -k import -x).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
export SMARTGIS_TEST_DATA=${SMARTGIS_TEST_DATA:-$(cd .. && pwd)/shared/data}
# this checkout's smartgis, whatever the virtualenv has installed
PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" .venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
