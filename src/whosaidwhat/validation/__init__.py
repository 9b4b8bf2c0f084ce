"""Stage 4, validate: every record against its JSON Schema (``schema``, generated from the layers
and the taxonomy), then integrity across records (``checks``); files that passed before,
unchanged, are skipped through the cache of checked files (``cache``)."""

from ..core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "checks": ("FORMATTERS", "Report", "validate"),
})
