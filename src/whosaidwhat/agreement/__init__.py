"""Stage 5, agreement and adjudication: the agreement figures (``measures``; each layer measures
itself), the candidate gold and its conflicts (``adjudicate``) and the review tasks sent back to
Label Studio (``review``)."""

from ..core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "adjudicate": ("Adjudication", "adjudicate"),
    "measures": ("agreement",),
    "review": ("push_reviews",),
})
