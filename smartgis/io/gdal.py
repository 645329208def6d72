"""GDAL plumbing shared by the readers: configuration options and error messages."""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager

from smartgis.errors import SmartGISError, SourceError
from smartgis.i18n import _

# GDAL configuration options are process-wide; imports on worker threads take turns.
_LOCK = threading.RLock()


@contextmanager
def gdal_config(options: dict | None):
    """Set GDAL configuration options (``SHAPE_RESTORE_SHX`` ...) for a block."""
    if not options:
        yield
        return
    import pyogrio
    with _LOCK:
        old = {k: pyogrio.get_gdal_config_option(k) for k in options}
        pyogrio.set_gdal_config_options(dict(options))
        try:
            yield
        finally:
            pyogrio.set_gdal_config_options(old)


_VSI = re.compile(r"/vsi\w+/")


def clean_message(msg: str, ds=None) -> str:
    """A GDAL message with internal paths replaced by the user's file name."""
    msg = str(msg).strip().splitlines()[0] if str(msg).strip() else "unknown error"
    if ds is not None:
        msg = msg.replace(ds.gdal_path, ds.display)
    msg = _VSI.sub("", msg)
    msg = msg.replace("; It might help to specify the correct driver explicitly by prefixing the file path "
                      "with '<DRIVER>:', e.g. 'CSV:path'.", "")
    if "not recognized as being in a supported file format" in msg or "not recognized as a supported" in msg:
        return _("GDAL does not recognise the file as a format it can read (damaged, or not a GIS file)")
    return msg.rstrip(".")


@contextmanager
def gdal_errors(ds=None, what: str = ""):
    """Turn errors of pyogrio/GDAL into :class:`SourceError` naming the user's file."""
    try:
        yield
    except SmartGISError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # pyogrio/rasterio raise their own hierarchies
        mod = type(exc).__module__ or ""
        if not (mod.startswith(("pyogrio", "rasterio", "fiona", "pyarrow")) or isinstance(exc, OSError)):
            raise
        name = ds.display if ds is not None else None
        text = clean_message(exc, ds)
        raise SourceError(_("{what}: {problem}", what=what, problem=text) if what else text, name) from exc
