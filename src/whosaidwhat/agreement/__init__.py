"""Stage 5, agreement and adjudication: how two annotators' records are matched (``matching``), the
agreement figures (``measures``), the candidate gold and its conflicts (``adjudicate``) and the
review tasks sent back to Label Studio (``review``)."""

from .adjudicate import Adjudication, adjudicate
from .measures import agreement

__all__ = ["Adjudication", "adjudicate", "agreement"]
