"""JSON Schemas (Draft 2020-12) of the corpus records, generated from the taxonomy.

The files in ``schema/*.schema.json`` are written by ``write_schemas`` and committed so that anyone
can read and reuse them; ``schema_drift`` tells when they no longer match what the taxonomy
generates, and a test fails on any drift. Validation loads the committed files.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from ..core.io import dumps, read_json, write_text
from ..core.layout import ARTICLE_ID, schema_dir
from ..core.taxonomy import Taxonomy, load_taxonomy

SCHEMA_VERSION = "1.1.0"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_NAMES = ("span", "article", "entity", "quote", "claim", "records")

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


def _example_records() -> dict[str, dict]:
    t = _EXAMPLE_TEXT
    common = {"article_id": _EXAMPLE_ID}
    prov = {"annotator": "annotator-01", "origin": "human"}
    speaker = _span_of(t, "Ana Ruiz")
    entity = {"mention_id": f"{_EXAMPLE_ID}:a1:e1", **common, **speaker, "label": "PERSON",
              "entity_id": f"{_EXAMPLE_ID}:ana-ruiz", "wikidata_qid": None, **prov}
    quote = {"quote_id": f"{_EXAMPLE_ID}:a1:q1", **common, "kind": "direct",
             "content": [_span_of(t, "The bridge will reopen in May,")], "cue": _span_of(t, "said"),
             "speaker": speaker, "speaker_kind": "named_person",
             "speaker_entity_id": f"{_EXAMPLE_ID}:ana-ruiz", **prov}
    claim = {"claim_id": f"{_EXAMPLE_ID}:a1:c1", **common, **_span_of(t, "The bridge will reopen in May"),
             "claim_type": "prediction", "checkworthiness": "check_worthy",
             "quote_id": f"{_EXAMPLE_ID}:a1:q1", **prov}
    article = {
        "article_id": _EXAMPLE_ID, "text": t,
        "text_sha256": hashlib.sha256(t.encode("utf-8")).hexdigest(),
        "title": "Bridge to reopen", "outlet": None, "url": None, "author": None,
        "published_date": "2025-03-03", "published_date_source": "recorded", "language": "en",
        "license": None, "redistributable": False, "ingested_at": "2025-03-04T09:00:00Z",
        "source_file": "bridge.txt", "note": None,
    }
    return {"article": article, "entity": entity, "quote": quote, "claim": claim}


def build_schemas(tax: Taxonomy | None = None) -> dict[str, dict]:
    """Every record schema, keyed by name, with the taxonomy's label sets as enums."""
    tax = tax or load_taxonomy()
    ex = _example_records()
    string_or_null = _nullable({"type": "string", "minLength": 1})
    record_id = {"type": "string", "pattern": RECORD_ID_PATTERN}
    article_id = {"type": "string", "pattern": ARTICLE_ID_PATTERN}
    offsets = {
        "start": {"type": "integer", "minimum": 0, "description": "Code-point offset of the first character."},
        "end": {"type": "integer", "minimum": 1, "description": "Code-point offset after the last character (exclusive)."},
        "text": {"type": "string", "minLength": 1, "description": "Exactly article.text[start:end]."},
    }
    span = {
        "$schema": DIALECT, "$id": schema_id("span"), "version": SCHEMA_VERSION, "title": "Span",
        "description": "A stretch of an article's text: Python str (code-point) offsets, end exclusive.",
        "type": "object", "properties": offsets, "required": ["start", "end", "text"],
        "additionalProperties": False, "examples": [ex["quote"]["cue"]],
    }
    article = _object("article", "Article", "One news article as ingested: normalised text and its provenance. Unknown values are null.", {
        "article_id": {**article_id, "description": "Assigned at ingest from the text's sha256; never changes."},
        "text": {"type": "string", "minLength": 1, "description": "Unicode NFC, newlines \\n, one paragraph a line."},
        "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "sha256 of text encoded as UTF-8."},
        "title": string_or_null,
        "outlet": string_or_null,
        "url": string_or_null,
        "author": string_or_null,
        "published_date": _nullable({"type": "string", "pattern": ISO_DATE_PATTERN}),
        "published_date_source": _nullable(_enum(tax, "published_date_source")),
        "language": {"type": "string", "pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "description": "BCP-47 tag."},
        "license": string_or_null,
        "redistributable": {"type": "boolean", "description": "May the text itself be published?"},
        "ingested_at": {"type": "string", "pattern": DATETIME_PATTERN},
        "source_file": string_or_null,
        "note": string_or_null,
    }, [ex["article"]])
    entity = _object("entity", "Entity mention", "A mention of a named entity (OntoNotes 5 types).", {
        "mention_id": record_id, "article_id": article_id, **offsets,
        "label": _enum(tax, "entity_label"),
        "entity_id": _nullable({**record_id, "description": "Groups mentions of one entity within an article."}),
        "wikidata_qid": _nullable({"type": "string", "pattern": "^Q[1-9][0-9]*$"}),
        **_provenance(tax),
    }, [ex["entity"]], optional=("supported_by",))
    quote = _object("quote", "Quote", "An attribution in the PARC 3.0 model: content, cue and speaker.", {
        "quote_id": record_id, "article_id": article_id,
        "kind": _enum(tax, "quote_kind"),
        "content": {"type": "array", "items": _ref("span"), "minItems": 1,
                    "description": "One span per contiguous piece of the quote, in text order."},
        "cue": _nullable(_ref("span")),
        "speaker": _nullable(_ref("span")),
        "speaker_kind": _enum(tax, "speaker_kind"),
        "speaker_entity_id": _nullable({**record_id, "description": "entity_id of the speaker's mentions in the same record set."}),
        **_provenance(tax),
    }, [ex["quote"]], optional=("supported_by",))
    claim = _object("claim", "Claim", "A check-worthy or factual statement (Full Fact type, ClaimBuster worthiness).", {
        "claim_id": record_id, "article_id": article_id, **offsets,
        "claim_type": _enum(tax, "claim_type"),
        "checkworthiness": _enum(tax, "checkworthiness"),
        "quote_id": _nullable({**record_id, "description": "The quote the claim is made in, if any."}),
        **_provenance(tax),
    }, [ex["claim"]], optional=("supported_by",))
    records = _object("records", "Annotation records of one article", "The standoff records of one article, every annotator's and origin's together.", {
        "article_id": article_id,
        "entities": {"type": "array", "items": _ref("entity")},
        "quotes": {"type": "array", "items": _ref("quote")},
        "claims": {"type": "array", "items": _ref("claim")},
    }, [{"article_id": _EXAMPLE_ID, "entities": [ex["entity"]], "quotes": [ex["quote"]], "claims": [ex["claim"]]}])
    return {"span": span, "article": article, "entity": entity, "quote": quote, "claim": claim, "records": records}


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


@lru_cache(maxsize=2)
def load_schemas(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    return {name: read_json(schema_path(name, folder)) for name in SCHEMA_NAMES}


@lru_cache(maxsize=16)
def fast_validator(name: str):
    """A compiled (jsonschema-rs) validator of the same committed schema: about 200 times faster
    than ``validator`` on a records file, so valid data is confirmed at that speed; the reference
    ``jsonschema`` validator still words every error (a test checks both agree)."""
    import jsonschema_rs
    schemas = load_schemas()
    registry = jsonschema_rs.Registry([(body["$id"], body) for body in schemas.values()])
    return jsonschema_rs.validator_for(schemas[name], registry=registry)


@lru_cache(maxsize=16)
def validator(name: str, folder: Path | None = None) -> Draft202012Validator:
    """A Draft 2020-12 validator for one committed schema, with the others registered for $ref."""
    schemas = load_schemas(folder)
    registry = Registry().with_resources(
        (body["$id"], Resource.from_contents(body)) for body in schemas.values())
    return Draft202012Validator(schemas[name], registry=registry)
