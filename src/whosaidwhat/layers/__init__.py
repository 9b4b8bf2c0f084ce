"""The registry of annotation layers: each layer (entities, quotes, claims) is declared once, in its
own module, and every stage loops over ``registered()`` in registration order (the order of the
records file, the schema and the release's ``documents`` lists).

Adding a layer is one module that subclasses ``Layer`` and calls ``register`` (named in the import
line at the end of this file), plus its label sets in ``schema/taxonomy.json`` and ``whosaidwhat
schema --write``; the tests register a small extra layer and see it go through schema, convert,
validate and build.

>>> [layer.name for layer in registered()]
['entities', 'quotes', 'claims']
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from .base import ORIGIN_ORDER, Choice, Layer, Reference, Role, Tally, TextArea

_LAYERS: dict[str, Layer] = {}
_CACHES: list = []


def cached(function: Callable) -> Callable:
    """A memo for what is derived from the registered layers (Features, schemas, the config's label
    sets), cleared whenever a layer is registered or removed. Arguments that cannot be hashed (a
    ``Taxonomy`` holds dicts) are told apart by identity, and kept alive with the value."""
    memo: dict = {}

    @wraps(function)
    def wrapper(*args):
        key = tuple(_key(arg) for arg in args)
        if key not in memo:
            memo[key] = (args, function(*args))
        return memo[key][1]
    wrapper.cache_clear = memo.clear
    _CACHES.append(wrapper)
    return wrapper


def _key(arg):
    try:
        hash(arg)
    except TypeError:
        return ("id", id(arg))
    return arg


def clear_caches() -> None:
    """Forget everything derived from the layers and the taxonomy (after a change to either)."""
    from ..core.taxonomy import load_taxonomy
    load_taxonomy.cache_clear()
    for cache in _CACHES:
        cache.cache_clear()


def register(layer: Layer) -> Layer:
    """Add ``layer`` after the layers registered before it."""
    if layer.name in _LAYERS:
        raise ValueError(f"a layer named {layer.name!r} is already registered")
    _LAYERS[layer.name] = layer
    clear_caches()
    return layer


def unregister(name: str) -> None:
    del _LAYERS[name]
    clear_caches()


def registered() -> tuple[Layer, ...]:
    return tuple(_LAYERS.values())


def names() -> tuple[str, ...]:
    """The layers' names: the keys of a records file besides ``article_id``."""
    return tuple(_LAYERS)


def get(name: str) -> Layer:
    return _LAYERS[name]


def relation_roles() -> dict[str, tuple[Role, Role]]:
    """Every relation the layers own, with the roles it joins."""
    return {name: roles for layer in _LAYERS.values() for name, roles in layer.relation_roles.items()}


def id_fields() -> dict[str, str]:
    """layer name -> the field that holds a record's id."""
    return {layer.name: layer.id_field for layer in _LAYERS.values()}


def empty() -> dict[str, list]:
    """Records of no layer: ``{layer: []}`` for every layer."""
    return {name: [] for name in _LAYERS}


from . import entities, quotes, claims  # noqa: E402  (registration order: the records file's order)

__all__ = ["Choice", "Layer", "ORIGIN_ORDER", "Reference", "Role", "Tally", "TextArea", "cached",
           "clear_caches", "empty", "get", "id_fields", "names", "register", "registered", "relation_roles",
           "unregister"]
