"""Stage 3, convert: raw Label Studio exports in ``annotations/labelstudio/`` become standoff
records in ``annotations/records/``. ``exports`` reads an export (streamed, or in parallel pieces),
``records`` turns one annotation's regions into records through the layers' own transforms,
``swap`` replaces the records folder whole, and ``pipeline`` runs the three."""

from .pipeline import ConvertReport, convert

__all__ = ["ConvertReport", "convert"]
