"""Stage 5, agreement and adjudication: the agreement figures (``measures``; each layer measures
itself), the candidate gold and its conflicts (``adjudicate``) and the review tasks sent back to
Label Studio (``review``)."""

from ..core.lazy import exports as _exports

_HOMES = {
    'Adjudication': 'adjudicate',
    'adjudicate': 'adjudicate',
    'agreement': 'measures',
    'push_reviews': 'review',
}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = _exports(__name__, _HOMES)
