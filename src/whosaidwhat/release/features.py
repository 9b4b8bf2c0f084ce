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

import pyarrow as pa
import pyarrow.compute as pc
from datasets import ClassLabel, Features, List, Value

from .. import layers
from ..core.taxonomy import Taxonomy, load_taxonomy


def _label(tax: Taxonomy, key: str) -> ClassLabel:
    return ClassLabel(names=list(tax.names(key)))


def span() -> dict:
    return {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


class Kit:
    """The Features pieces a layer declares its records with (``Layer.features``): layers import
    neither ``datasets`` nor ``pyarrow``, so convert and validate never pay for them."""

    string = Value("string")
    span = staticmethod(span)
    List = List
    Value = Value

    def __init__(self, tax: Taxonomy):
        self.tax = tax

    def label(self, key: str) -> ClassLabel:
        return _label(self.tax, key)


def configs() -> tuple[str, ...]:
    """The release's configs: documents (the default), articles, one per layer, annotator_records, ner."""
    return ("documents", "articles", *layers.names(), "annotator_records", "ner")


def article_fields(tax: Taxonomy) -> dict:
    return {
        "article_id": Value("string"), "text": Value("string"), "text_sha256": Value("string"),
        "title": Value("string"), "outlet": Value("string"), "url": Value("string"), "author": Value("string"),
        "published_date": Value("string"), "published_date_source": _label(tax, "published_date_source"),
        "language": Value("string"), "license": Value("string"), "redistributable": Value("bool"),
        "ingested_at": Value("string"), "source_file": Value("string"), "note": Value("string"),
        "split": Value("string"),
    }


def provenance_fields(tax: Taxonomy) -> dict:
    return {"annotator": Value("string"), "origin": _label(tax, "origin")}


def ner_tag_names(tax: Taxonomy) -> list[str]:
    """IOB2 tags, CoNLL-2003 style: O, then B- and I- of every entity label."""
    return ["O"] + [f"{prefix}-{label}" for label in tax.names("entity_label") for prefix in ("B", "I")]


@layers.cached
def ner_tag_ids() -> dict[str, int]:
    """IOB2 tag -> its id in the ``ner`` config's ClassLabel."""
    return {name: i for i, name in enumerate(config_features("ner")["ner_tags"].feature.names)}


@layers.cached
def config_features(config: str) -> Features:
    """The Features of one release config."""
    tax = load_taxonomy()
    kit = Kit(tax)
    records = {layer.name: List(layer.features(tax, kit)) for layer in layers.registered()}
    article_id = {"article_id": Value("string")}
    if config in records:
        return Features({**article_id, **layers.get(config).features(tax, kit), **provenance_fields(tax)})
    features = {
        "documents": lambda: {**article_fields(tax), **records},
        "articles": lambda: article_fields(tax),
        "annotator_records": lambda: {**article_id, **provenance_fields(tax), **records},
        "ner": lambda: {"id": Value("string"), **article_id, "paragraph": Value("int32"), "tokens": List(Value("string")),
                        "token_start": List(Value("int32")), "token_end": List(Value("int32")),
                        "ner_tags": List(ClassLabel(names=ner_tag_names(tax)))},
    }[config]()
    return Features(features)


class RowEncoder:
    """Rows with labels as names -> an Arrow table of ``features.arrow_schema``, labels as ids (what
    ``Features.encode_example`` gives, row by row). Arrow reads the rows with every label as a
    string, then each label column is mapped to ids in one vectorised step: replacing names in
    Python, row by row, was a tenth of a build."""

    def __init__(self, features: Features):
        self.features = features
        self.schema = features.arrow_schema
        self.names_schema = Features({key: _as_names(child) for key, child in features.items()}).arrow_schema.remove_metadata()

    def __call__(self, rows: list[dict]) -> pa.Table:
        table = pa.Table.from_pylist(rows, schema=self.names_schema)
        return pa.Table.from_arrays([_encode(table.column(name).combine_chunks(), feature, f"/{name}")
                                     for name, feature in self.features.items()], schema=self.schema)


@layers.cached
def config_encoder(config: str) -> RowEncoder:
    return RowEncoder(config_features(config))


def _as_names(feature):
    if isinstance(feature, ClassLabel):
        return Value("string")
    if isinstance(feature, dict):
        return {key: _as_names(child) for key, child in feature.items()}
    if isinstance(feature, List):
        return List(_as_names(feature.feature))
    return feature


def _has_label(feature) -> bool:
    if isinstance(feature, ClassLabel):
        return True
    if isinstance(feature, dict):
        return any(map(_has_label, feature.values()))
    return isinstance(feature, List) and _has_label(feature.feature)


def _encode(array: pa.Array, feature, pointer: str) -> pa.Array:
    """One column (or nested field, at ``pointer``) with its label names replaced by their ids."""
    if not _has_label(feature):
        return array
    if isinstance(feature, ClassLabel):
        ids = pc.index_in(array, value_set=pa.array(feature.names, pa.string()))
        if ids.null_count != array.null_count:
            unknown = pc.filter(array, pc.and_(pc.is_null(ids), pc.is_valid(array)))[0].as_py()
            raise ValueError(f"{pointer}: {unknown!r} is not one of the labels {feature.names}")
        return ids.cast(pa.int64())
    mask = array.is_null() if array.null_count else None
    if isinstance(feature, List):
        return pa.ListArray.from_arrays(array.offsets, _encode(array.values, feature.feature, f"{pointer}/*"), mask=mask)
    return pa.StructArray.from_arrays([_encode(array.field(key), child, f"{pointer}/{key}") for key, child in feature.items()],
                                      names=list(feature), mask=mask)


def compile_decoder(features: Features):
    """The inverse of ``RowEncoder`` for whole rows: label ids back to their names, nested lists
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
