"""What a pre-annotator proposes for one text: the records' own fields, with no ids or annotators.

The same shapes travel three ways: ``whosaidwhat preannotate --format json`` prints them, ``push``
turns them into a Label Studio prediction, and ``evaluate`` scores them against gold records. Offsets
are Python ``str`` code points into the normalised text, as in every published record.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])


@dataclass(frozen=True)
class EntityProposal:
    start: int
    end: int
    text: str
    label: str  # a taxonomy entity_label


@dataclass
class QuoteProposal:
    kind: str  # quote_kind: direct, indirect, mixed
    content: list[Span]
    speaker: Span | None
    cue: Span | None
    speaker_kind: str
    speaker_refers_to: Span | None = None  # the entity mention a pronoun or description speaker refers to


@dataclass(frozen=True)
class ClaimProposal:
    start: int
    end: int
    text: str
    claim_type: str
    checkworthiness: str
    quote: int | None = None  # index into Proposals.quotes of the quote the claim is made in


@dataclass
class Proposals:
    entities: list[EntityProposal] = field(default_factory=list)
    quotes: list[QuoteProposal] = field(default_factory=list)
    claims: list[ClaimProposal] = field(default_factory=list)
    model_version: str = ""

    def to_json(self) -> dict:
        """The JSON object ``preannotate --format json`` prints (without ``source``/``text_sha256``)."""
        return {"model_version": self.model_version,
                "entities": [asdict(e) for e in self.entities],
                "quotes": [asdict(q) for q in self.quotes],
                "claims": [asdict(c) for c in self.claims]}
