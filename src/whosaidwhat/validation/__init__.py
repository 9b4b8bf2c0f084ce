"""Stage 4, validate: every record against its JSON Schema (``schema``, generated from the layers
and the taxonomy), then integrity across records (``checks``); files that passed before,
unchanged, are skipped through the cache of checked files (``cache``)."""

from ..core.lazy import exports as _exports

_HOMES = {
    'FORMATTERS': 'checks',
    'Report': 'checks',
    'validate': 'checks',
}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = _exports(__name__, _HOMES)
