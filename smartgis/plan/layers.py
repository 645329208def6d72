"""The architecture layers of a smart city and the default layer of each element type.

After the technical reference model of GB/T 34678-2017 (智慧城市 技术参考模型): 物联感知层,
网络通信层, 计算与存储层 and 数据及服务融合层, 智慧应用层, with security, standards and
operations (安全保障、建设管理、运维管理) across all of them.  The planning practice of
GB/T 36333-2018 groups the data and compute layers and calls the shared services (IOC,
CIM, data platform) the platform layer; SmartGIS uses those six keys.
"""

from __future__ import annotations

#: Layer keys, bottom up (the order of the architecture diagram, security last).
LAYERS = ("perception", "network", "data", "platform", "application", "security")

LAYER_LABELS = {
    "perception": {"zh": "感知层", "en": "Perception"},
    "network": {"zh": "网络层", "en": "Network"},
    "data": {"zh": "计算与存储层", "en": "Compute & data"},
    "platform": {"zh": "平台支撑层", "en": "Platform"},
    "application": {"zh": "智慧应用层", "en": "Application"},
    "security": {"zh": "安全、标准与运营体系", "en": "Security, standards & operations"},
}

LAYER_SOURCE = "GB/T 34678-2017 智慧城市 技术参考模型 (layer model; clause numbers unverified)"

#: Element types whose layer is not the one of their category.
TYPE_LAYERS = {
    "iot_gateway": "network", "cell_5g_macro": "network", "cell_5g_small": "network",
    "data_centre": "data", "operations_centre": "platform",
}

#: Catalog categories → layer.  Sensors sense, linear networks carry, facilities are the
#: public services the applications serve.
CATEGORY_LAYERS = {"sensor": "perception", "network": "network", "facility": "application"}


def layer_label(key: str, lang: str = "zh") -> str:
    return LAYER_LABELS.get(key, {}).get(lang, key)


def default_layer(element_type) -> str:
    """The layer an element type belongs to unless a project says otherwise.

    A catalog type may name its layer (``"layer": "platform"`` in its definition);
    otherwise :data:`TYPE_LAYERS`, then its category decide, and ``application`` is the
    fallback.
    """
    own = getattr(element_type, "layer", None)
    if own in LAYERS:
        return own
    tid = getattr(element_type, "id", element_type)
    if tid in TYPE_LAYERS:
        return TYPE_LAYERS[tid]
    return CATEGORY_LAYERS.get(getattr(element_type, "category", ""), "application")


def check_layer(key: str) -> str:
    """``key`` when it is a layer, else a :class:`~smartgis.errors.UsageError` listing them."""
    from smartgis.errors import UsageError
    from smartgis.i18n import _
    if key not in LAYERS:
        raise UsageError(_("unknown architecture layer {layer!r} (layers: {layers})", layer=key,
                           layers=", ".join(LAYERS)))
    return key
