"""JSON Schemas (Draft 2020-12) of the corpus records, generated from the taxonomy.

The files in ``schema/*.schema.json`` are written by ``write_schemas`` and committed so that anyone
can read and reuse them; ``schema_drift`` tells when they no longer match what the taxonomy
generates, and a test fails on any drift. Validation loads the committed files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .. import layers
from ..core.io import dumps, read_json, write_text
from ..core.layout import ARTICLE_ID, LANGUAGE_TAG, schema_dir
from ..core.problems import Problem
from ..core.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:  # the reference validator is imported only to word errors: importing jsonschema
    from jsonschema import Draft202012Validator  # loads its format checkers, a second with some of them
    from jsonschema.exceptions import ValidationError  # installed (rfc3987-syntax builds grammars)

SCHEMA_VERSION = "1.1.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

ARTICLE_ID_PATTERN = ARTICLE_ID.pattern
RECORD_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]*$"
# A pseudonym: letters, digits and . _ : + - only, so an e-mail address can never pass.
ANNOTATOR_PATTERN = "^[a-z][a-z0-9._:+-]*$"
ISO_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"

_EXAMPLE_TEXT = "\u201cThe bridge will reopen in May,\u201d Mayor Ana Ruiz said on Monday."
_EXAMPLE_ID = "wsw-0123456789abcdef"


def schema_id(name: str) -> str:
    return f"urn:whosaidwhat:schema:{name}"


def _ref(name: str) -> dict:
    return {"$ref": schema_id(name)}


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _enum(tax: Taxonomy, key: str) -> dict:
    return {"enum": list(tax.names(key)), "description": tax[key].description}


def _span_of(text: str, piece: str) -> dict:
    start = text.index(piece)
    return {"start": start, "end": start + len(piece), "text": piece}


def _object(name: str, title: str, description: str, properties: dict, examples: list,
            optional: tuple[str, ...] = ()) -> dict:
    return {
        "$schema": DIALECT,
        "$id": schema_id(name),
        "version": SCHEMA_VERSION,
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": [key for key in properties if key not in optional],
        "additionalProperties": False,
        "examples": examples,
    }


def _provenance(tax: Taxonomy) -> dict:
    return {
        "annotator": {"type": "string", "pattern": ANNOTATOR_PATTERN,
                      "description": "Pseudonym of who made the record (annotator-01, model:quote-rules-1, ...); never a name or e-mail."},
        "origin": _enum(tax, "origin"),
        "supported_by": {"type": "array", "items": {"type": "string", "pattern": ANNOTATOR_PATTERN}, "uniqueItems": True,
                         "description": "Gold records of an adjudicated article: the annotators who made the same record."},
    }


class Kit:
    """The schema pieces a layer builds its record schema from (``Layer.schema_properties``) and
    the example text its example record is cut from."""

    record_id = {"type": "string", "pattern": RECORD_ID_PATTERN}
    article_id = {"type": "string", "pattern": ARTICLE_ID_PATTERN}
    offsets = {
        "start": {"type": "integer", "minimum": 0, "description": "Code-point offset of the first character."},
        "end": {"type": "integer", "minimum": 1, "description": "Code-point offset after the last character (exclusive)."},
        "text": {"type": "string", "minLength": 1, "description": "Exactly article.text[start:end]."},
    }
    example_id = _EXAMPLE_ID
    example_text = _EXAMPLE_TEXT
    nullable = staticmethod(_nullable)
    ref = staticmethod(_ref)

    def __init__(self, tax: Taxonomy):
        self.tax = tax

    def enum(self, key: str) -> dict:
        return _enum(self.tax, key)

    def span_of(self, piece: str) -> dict:
        return _span_of(self.example_text, piece)


def schema_names() -> tuple[str, ...]:
    """The schema files: span, article, one per layer, and records (an article's records file)."""
    return ("span", "article", *(layer.schema_name for layer in layers.registered()), "records")


def _example_article() -> dict:
    t = _EXAMPLE_TEXT
    return {
        "article_id": _EXAMPLE_ID, "text": t,
        "text_sha256": hashlib.sha256(t.encode("utf-8")).hexdigest(),
        "title": "Bridge to reopen", "outlet": None, "url": None, "author": None,
        "published_date": "2025-03-03", "published_date_source": "recorded", "language": "en",
        "license": None, "redistributable": False, "ingested_at": "2025-03-04T09:00:00Z",
        "source_file": "bridge.txt", "note": None,
    }


def _layer_schema(layer, tax: Taxonomy, kit: Kit) -> tuple[dict, dict]:
    """A layer's record schema and its example record."""
    example = layer.example(kit)
    first = next(iter(example))
    example = {first: example[first], "article_id": _EXAMPLE_ID, **{k: v for k, v in example.items() if k != first},
               "annotator": "annotator-01", "origin": "human"}
    schema = _object(layer.schema_name, layer.title, layer.description, {
        layer.id_field: kit.record_id, "article_id": kit.article_id, **layer.schema_properties(tax, kit),
        **_provenance(tax)}, [example], optional=("supported_by",))
    return schema, example


def build_schemas(tax: Taxonomy | None = None) -> dict[str, dict]:
    """Every record schema, keyed by name, with the taxonomy's label sets as enums."""
    tax = tax or load_taxonomy()
    kit = Kit(tax)
    string_or_null = _nullable({"type": "string", "minLength": 1})
    made = {layer.name: _layer_schema(layer, tax, kit) for layer in layers.registered()}
    span = {
        "$schema": DIALECT, "$id": schema_id("span"), "version": SCHEMA_VERSION, "title": "Span",
        "description": "A stretch of an article's text: Python str (code-point) offsets, end exclusive.",
        "type": "object", "properties": kit.offsets, "required": ["start", "end", "text"],
        "additionalProperties": False, "examples": [kit.span_of("said")],
    }
    article = _object("article", "Article", "One news article as ingested: normalised text and its provenance. Unknown values are null.", {
        "article_id": {**kit.article_id, "description": "Assigned at ingest from the text's sha256; never changes."},
        "text": {"type": "string", "minLength": 1, "description": "Unicode NFC, newlines \\n, one paragraph a line."},
        "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "sha256 of text encoded as UTF-8."},
        "title": string_or_null,
        "outlet": string_or_null,
        "url": string_or_null,
        "author": string_or_null,
        "published_date": _nullable({"type": "string", "pattern": ISO_DATE_PATTERN}),
        "published_date_source": _nullable(_enum(tax, "published_date_source")),
        "language": {"type": "string", "pattern": LANGUAGE_TAG.pattern, "description": "BCP-47 tag."},
        "license": string_or_null,
        "redistributable": {"type": "boolean", "description": "May the text itself be published?"},
        "ingested_at": {"type": "string", "pattern": DATETIME_PATTERN},
        "source_file": string_or_null,
        "note": string_or_null,
    }, [_example_article()])
    records = _object("records", "Annotation records of one article", "The standoff records of one article, every annotator's and origin's together.", {
        "article_id": kit.article_id,
        **{name: {"type": "array", "items": _ref(layers.get(name).schema_name)} for name in made},
    }, [{"article_id": _EXAMPLE_ID, **{name: [example] for name, (_, example) in made.items()}}])
    return {"span": span, "article": article, **{layers.get(name).schema_name: schema for name, (schema, _) in made.items()},
            "records": records}


def schema_path(name: str, folder: Path | None = None) -> Path:
    return Path(folder or schema_dir()) / f"{name}.schema.json"


def write_schemas(folder: Path | None = None) -> list[Path]:
    """Regenerate the committed schema files from the taxonomy."""
    paths = []
    for name, body in build_schemas().items():
        path = schema_path(name, folder)
        write_text(path, dumps(body), overwrite=True)
        paths.append(path)
    return paths


def schema_drift(folder: Path | None = None) -> list[str]:
    """Names of committed schema files that differ from what the taxonomy generates."""
    drifted = []
    for name, body in build_schemas().items():
        path = schema_path(name, folder)
        if not path.is_file() or path.read_text(encoding="utf-8") != dumps(body):
            drifted.append(str(path))
    return drifted


@layers.cached
def load_schemas(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    return {name: read_json(schema_path(name, folder)) for name in schema_names()}


@layers.cached
def fast_validator(name: str):
    """A compiled (jsonschema-rs) validator of the same committed schema: about 200 times faster
    than ``validator`` on a records file, so valid data is confirmed at that speed; the reference
    ``jsonschema`` validator still words every error (a test checks both agree)."""
    import jsonschema_rs
    schemas = load_schemas()
    registry = jsonschema_rs.Registry([(body["$id"], body) for body in schemas.values()])
    return jsonschema_rs.validator_for(schemas[name], registry=registry)


@layers.cached
def validator(name: str, folder: Path | None = None) -> Draft202012Validator:
    """A Draft 2020-12 validator for one committed schema, with the others registered for $ref."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    schemas = load_schemas(folder)
    registry = Registry().with_resources(
        (body["$id"], Resource.from_contents(body)) for body in schemas.values())
    return Draft202012Validator(schemas[name], registry=registry)


def pointer(parts: Iterable) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def schema_problems(file: str, data, schema: str, id_of) -> Iterator[Problem]:
    """Every schema error of ``data``, each with the id of the record it is in. The compiled
    validator clears valid data; the reference one words the errors of invalid data."""
    if fast_validator(schema).is_valid(data):
        return
    for error in sorted(validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path)):
        yield Problem(file, _schema_message(error), pointer(error.absolute_path), id_of(list(error.absolute_path)))


def _schema_message(error: ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field(s)")
    if error.validator == "required":
        return error.message.replace("is a required property", "is missing")
    return error.message
