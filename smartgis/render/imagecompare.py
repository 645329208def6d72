"""Comparing rendered maps with expected images, with a tolerance.

Antialiasing, font hinting and floating point make two correct renders differ by a
few levels on some edge pixels, so an exact comparison would fail for no reason.
:func:`compare_images` counts the pixels differing by more than ``pixel_tolerance``
(on any channel, alpha included) and accepts up to ``max_fraction`` of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtGui import QImage

from smartgis.render.images import qimage_to_rgba, rgba_to_qimage

#: Set to 1 to (re)write the expected images instead of comparing.
REGENERATE_ENV = "SMARTGIS_REGENERATE_IMAGES"


@dataclass
class Comparison:
    """The outcome of a comparison."""

    ok: bool
    differing: int
    fraction: float
    max_difference: int
    message: str
    diff_image: QImage | None = None


def _as_rgba(img) -> np.ndarray:
    if isinstance(img, np.ndarray):
        return img.astype(np.uint8)
    if isinstance(img, (str, os.PathLike)):
        q = QImage(str(img))
        if q.isNull():
            raise FileNotFoundError(f"{img}: cannot read the image")
        img = q
    return qimage_to_rgba(img)


def compare_images(actual, expected, pixel_tolerance: int = 24, max_fraction: float = 0.005) -> Comparison:
    """Compare two images (QImage, RGBA array or file path).

    Parameters
    ----------
    pixel_tolerance : int
        A pixel differs when a channel differs by more than this (0..255).
    max_fraction : float
        The images match when at most this fraction of pixels differ.
    """
    a, b = _as_rgba(actual), _as_rgba(expected)
    if a.shape != b.shape:
        return Comparison(False, -1, 1.0, 255, f"sizes differ: {a.shape[1]}x{a.shape[0]} vs {b.shape[1]}x{b.shape[0]}")
    d = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2)
    bad = d > pixel_tolerance
    n = int(bad.sum())
    frac = n / bad.size
    diff = np.zeros(a.shape, dtype=np.uint8)
    diff[..., 3] = 255
    diff[..., 0] = np.where(bad, 255, (a[..., :3].mean(axis=2) * 0.3).astype(np.uint8))
    diff[..., 1] = diff[..., 2] = np.where(bad, 0, diff[..., 0])
    ok = frac <= max_fraction
    msg = (f"{n} pixels ({frac:.3%}) differ by more than {pixel_tolerance} (allowed {max_fraction:.3%}); "
           f"largest difference {int(d.max())}")
    return Comparison(ok, n, frac, int(d.max()), msg, rgba_to_qimage(diff))


def assert_matches(actual, expected_path, pixel_tolerance: int = 24, max_fraction: float = 0.005) -> None:
    """Assert that ``actual`` (a QImage) matches the image at ``expected_path``.

    With ``SMARTGIS_REGENERATE_IMAGES=1`` the expected image is written instead.  On a
    mismatch the actual image and a difference image are saved in the temporary
    folder ``smartgis-image-failures`` (``NAME.actual.png``, ``NAME.diff.png``).
    """
    expected_path = Path(expected_path)
    if os.environ.get(REGENERATE_ENV) == "1" or not expected_path.exists():
        if os.environ.get(REGENERATE_ENV) != "1":
            raise AssertionError(f"{expected_path} does not exist; run with {REGENERATE_ENV}=1 to create it")
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        actual.save(str(expected_path))
        return
    c = compare_images(actual, expected_path, pixel_tolerance, max_fraction)
    if not c.ok:
        import tempfile
        folder = Path(tempfile.gettempdir()) / "smartgis-image-failures"
        folder.mkdir(exist_ok=True)
        stem = folder / expected_path.stem
        actual.save(str(stem) + ".actual.png")
        if c.diff_image is not None:
            c.diff_image.save(str(stem) + ".diff.png")
        raise AssertionError(f"{expected_path.name}: {c.message} (see {stem}.actual.png and .diff.png)")
