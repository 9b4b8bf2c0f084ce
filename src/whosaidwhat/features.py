"""The release's ``datasets.Features``, declared once from the taxonomy and used both to write the
Parquet shards (``Features.arrow_schema``) and in the dataset card's ``dataset_info``, so what is
written and what ``load_dataset`` returns cannot differ.

Spans are ``{start, end, text}`` structs with int32 code-point offsets; lists of spans or records are
``List`` of structs (``Sequence`` would turn them into a dict of lists); every label set is a
``ClassLabel`` whose names are the taxonomy's; every field that may be unknown is nullable (Arrow
columns are). ``text`` fields are null in a standoff copy of an article that may not be redistributed.

>>> config_features("quotes")["kind"].names
['direct', 'indirect', 'mixed']
"""

from __future__ import annotations

from functools import lru_cache

from datasets import ClassLabel, Features, List, Value

from .taxonomy import Taxonomy, load_taxonomy

CONFIGS = ("documents", "articles", "entities", "quotes", "claims", "annotator_records", "ner")
ITEM_CONFIGS = {"entities": "entities", "quotes": "quotes", "claims": "claims"}


def _label(tax: Taxonomy, key: str) -> ClassLabel:
    return ClassLabel(names=list(tax.names(key)))


def span() -> dict:
    return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


def article_fields(tax: Taxonomy) -> dict:
    return {
        "article_id": Value("string"), "text": Value("string"), "text_sha256": Value("string"),
        "title": Value("string"), "outlet": Value("string"), "url": Value("string"), "author": Value("string"),
        "published_date": Value("string"), "published_date_source": _label(tax, "published_date_source"),
        "language": Value("string"), "license": Value("string"), "redistributable": Value("bool"),
        "ingested_at": Value("string"), "source_file": Value("string"), "note": Value("string"),
        "split": Value("string"),
    }


def entity_fields(tax: Taxonomy) -> dict:
    return {"mention_id": Value("string"), **span(), "label": _label(tax, "entity_label"),
            "entity_id": Value("string"), "wikidata_qid": Value("string")}


def quote_fields(tax: Taxonomy) -> dict:
    return {"quote_id": Value("string"), "kind": _label(tax, "quote_kind"), "content": List(span()),
            "cue": span(), "speaker": span(), "speaker_kind": _label(tax, "speaker_kind"),
            "speaker_entity_id": Value("string")}


def claim_fields(tax: Taxonomy) -> dict:
    return {"claim_id": Value("string"), **span(), "claim_type": _label(tax, "claim_type"),
            "checkworthiness": _label(tax, "checkworthiness"), "quote_id": Value("string")}


def provenance_fields(tax: Taxonomy) -> dict:
    return {"annotator": Value("string"), "origin": _label(tax, "origin")}


def ner_tag_names(tax: Taxonomy) -> list[str]:
    """IOB2 tags, CoNLL-2003 style: O, then B- and I- of every entity label."""
    return ["O"] + [f"{prefix}-{label}" for label in tax.names("entity_label") for prefix in ("B", "I")]


@lru_cache(maxsize=16)
def config_features(config: str) -> Features:
    """The Features of one release config."""
    tax = load_taxonomy()
    layers = {"entities": List(entity_fields(tax)), "quotes": List(quote_fields(tax)), "claims": List(claim_fields(tax))}
    article_id = {"article_id": Value("string")}
    features = {
        "documents": {**article_fields(tax), **layers},
        "articles": article_fields(tax),
        "entities": {**article_id, **entity_fields(tax), **provenance_fields(tax)},
        "quotes": {**article_id, **quote_fields(tax), **provenance_fields(tax)},
        "claims": {**article_id, **claim_fields(tax), **provenance_fields(tax)},
        "annotator_records": {**article_id, **provenance_fields(tax), **layers},
        "ner": {"id": Value("string"), **article_id, "paragraph": Value("int32"), "tokens": List(Value("string")),
                "token_start": List(Value("int32")), "token_end": List(Value("int32")),
                "ner_tags": List(ClassLabel(names=ner_tag_names(tax)))},
    }[config]
    return Features(features)


def _identity(value):
    return value


def compile_encoder(feature):
    """A function turning a row (labels as names) into what ``Features.encode_example`` gives
    (labels as ids), specialised once per config: the per-row generic walk of ``datasets`` was most
    of the time a build spent."""
    if isinstance(feature, ClassLabel):
        ids = {name: i for i, name in enumerate(feature.names)}
        return lambda value: None if value is None else ids[value]
    if isinstance(feature, (dict, Features)):
        parts = {key: compile_encoder(child) for key, child in feature.items()}
        parts = {key: part for key, part in parts.items() if part is not _identity}
        if not parts:
            return _identity

        def encode_struct(value):  # a copy with only the label fields replaced: Arrow reads the schema's fields
            if value is None:
                return None
            out = dict(value)
            for key, part in parts.items():
                out[key] = part(value.get(key))
            return out
        return encode_struct
    if isinstance(feature, List):
        if isinstance(feature.feature, ClassLabel):  # a tag sequence: mapped in C, item by item
            ids = {name: i for i, name in enumerate(feature.feature.names)}
            ids[None] = None
            return lambda value: None if value is None else list(map(ids.__getitem__, value))
        item = compile_encoder(feature.feature)
        if item is _identity:
            return _identity
        return lambda value: None if value is None else [item(v) for v in value]
    return _identity


@lru_cache(maxsize=16)
def config_encoder(config: str):
    return compile_encoder(config_features(config))


def compile_decoder(features: Features):
    """The inverse of ``compile_encoder`` for whole rows: label ids back to their names, nested lists
    and structs included (the readers of releases, exports and diffs share it)."""
    def decode(value, feature):
        if value is None:
            return None
        if isinstance(feature, ClassLabel):
            return feature.int2str(value)
        if isinstance(feature, List):
            return [decode(v, feature.feature) for v in value]
        if isinstance(feature, dict):
            return {k: decode(value.get(k), f) for k, f in feature.items()}
        return value
    return lambda row: {k: decode(row.get(k), f) for k, f in features.items()}
