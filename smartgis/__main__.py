"""``python -m smartgis`` is the ``smartgis`` command."""

import sys

from smartgis.cli import main

if __name__ == "__main__":
    sys.exit(main())
