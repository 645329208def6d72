"""The per-layer image cache (like ``QgsMapRendererCache``).

An image is reused when the same layer state (id, version, style, selection) is
drawn into the same view (extent, size, DPI) again — after a refresh of another
layer, after toggling a layer off and on, or when a pan returns.  Old images go
first when the cache exceeds its memory budget.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class ImageCache:
    """Thread-safe LRU cache of rendered layer images.

    Parameters
    ----------
    max_bytes : int
        Memory budget (an ARGB image costs width × height × 4 bytes).
    """

    def __init__(self, max_bytes: int = 400 * 1024 * 1024):
        self.max_bytes = int(max_bytes)
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, layer_key: tuple, view_key: tuple):
        """``(image, features_drawn)`` or None."""
        with self._lock:
            got = self._items.get((layer_key, view_key))
            if got is not None:
                self._items.move_to_end((layer_key, view_key))
            return got

    def put(self, layer_key: tuple, view_key: tuple, image, features: int) -> None:
        size = image.width() * image.height() * 4
        with self._lock:
            key = (layer_key, view_key)
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[0].width() * old[0].height() * 4
            self._items[key] = (image, int(features))
            self._bytes += size
            while self._bytes > self.max_bytes and len(self._items) > 1:
                _, (img, _) = self._items.popitem(last=False)
                self._bytes -= img.width() * img.height() * 4

    def invalidate(self, layer_ids=None) -> None:
        """Forget the images of some layers (all when ``layer_ids`` is None)."""
        with self._lock:
            if layer_ids is None:
                self._items.clear()
                self._bytes = 0
                return
            ids = set(layer_ids)
            for key in [k for k in self._items if k[0][0] in ids]:
                img, _ = self._items.pop(key)
                self._bytes -= img.width() * img.height() * 4

    def __len__(self) -> int:
        return len(self._items)

    @property
    def nbytes(self) -> int:
        return self._bytes
