"""Stage 3, convert: raw Label Studio exports in ``annotations/labelstudio/`` become standoff
records in ``annotations/records/``. ``exports`` reads an export (streamed, or in parallel pieces),
``records`` turns one annotation's regions into records through the layers' own transforms,
``swap`` replaces the records folder whole, and ``pipeline`` runs the three."""

from ..core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "pipeline": ("ConvertReport", "convert"),
})
