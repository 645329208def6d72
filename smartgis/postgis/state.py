"""What a project opened from a server remembers of what it read: the URL, the
version of every row it loaded (its *base*), and the SmartGIS rows as read — so
that a save writes only what this session changed and sees what others changed."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from smartgis.core.table import AttributeTable


@dataclass
class Base:
    """The rows of one layer as read: keys, versions, and the data to compare with."""

    key: str
    keys: np.ndarray
    versions: np.ndarray
    geoms: np.ndarray
    attrs: AttributeTable | None   # None until a large layer's attributes are read
    fields: list

    def positions(self) -> dict:
        return {k: i for i, k in enumerate(self.keys.tolist())}


@dataclass
class TeamState:
    """Kept on an opened project as ``project.team``.

    The password the window asked for is kept in memory for this session's saves and
    loads only; it is in no repr, file, message or log.
    """

    url: object
    srid: int
    bases: dict = field(default_factory=dict)
    #: smartgis_layers rows as read: layer id → definition text (changes are written)
    layer_rows: dict = field(default_factory=dict)
    tree_rows: list = field(default_factory=list)
    catalog_rows: dict = field(default_factory=dict)
    #: extra table name → list of (rowid, row) as read
    extra_rows: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    #: layer id → table of layers whose table exists on the server
    tables: dict = field(default_factory=dict)
    #: our layer id → a colleague's layer id, for a table both added at once
    adopted: dict = field(default_factory=dict)
    _password: str | None = field(default=None, repr=False, compare=False)
    #: The connection the layers drawn from the server share (:class:`~smartgis.postgis.source.ServerReader`)
    reader: object = field(default=None, repr=False, compare=False)

    @property
    def password(self) -> str | None:
        return self._password
