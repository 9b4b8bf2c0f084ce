"""Build Label Studio results the way the annotation interface does, for tests that annotate
through the real API: regions by the text they cover, per-region choices, relations."""

from __future__ import annotations

import itertools


class Annotation:
    """``a.region("entity", "PERSON", "Ana Ruiz")`` adds a region over the first (or ``nth``)
    occurrence of the text and returns its id; ``a.results`` is the result list to send."""

    def __init__(self, text: str, prefix: str = "r"):
        self.text = text
        self.results: list[dict] = []
        self._ids = (f"{prefix}{i}" for i in itertools.count(1))

    def _find(self, piece: str, nth: int) -> int:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(piece, start + 1)
        return start

    def region(self, layer: str, label: str, piece: str, nth: int = 0, **choices: str) -> str:
        start = self._find(piece, nth)
        rid = next(self._ids)
        value = {"start": start, "end": start + len(piece), "text": piece}
        self.results.append({"id": rid, "from_name": layer, "to_name": "text", "type": "labels", "origin": "manual",
                             "value": {**value, "labels": [label]}})
        for name, choice in choices.items():
            if name == "entity_key":
                self.results.append({"id": rid, "from_name": name, "to_name": "text", "type": "textarea",
                                     "origin": "manual", "value": {**value, "text": [choice]}})
            else:
                self.results.append({"id": rid, "from_name": name, "to_name": "text", "type": "choices",
                                     "origin": "manual", "value": {**value, "choices": [choice]}})
        return rid

    def relate(self, source: str, target: str, label: str) -> None:
        self.results.append({"from_id": source, "to_id": target, "type": "relation", "direction": "right",
                             "labels": [label]})

    def quote(self, content: list[str] | str, speaker: str | None, cue: str | None, kind: str, speaker_kind: str,
              nth: int = 0) -> list[str]:
        """A quote: its content pieces (with the kinds), speaker and cue, linked by relations."""
        pieces = [content] if isinstance(content, str) else content
        ids = [self.region("quote", "content", piece, nth, quote_kind=kind, speaker_kind=speaker_kind) for piece in pieces]
        for role, piece in (("speaker", speaker), ("cue", cue)):
            if piece is not None:
                rid = self.region("quote", role, piece, nth)
                for content_id in ids:
                    self.relate(rid, content_id, f"{role}_of")
        return ids
