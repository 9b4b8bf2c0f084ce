"""Croissant 1.0 metadata (``croissant.json``) for a release folder, from the declared Features.

Every Parquet shard is a ``cr:FileObject`` with its sha256; each config is read through a
``cr:FileSet`` and described by a ``cr:RecordSet`` whose fields follow the Features: label fields
reference an enumeration record set holding the taxonomy's class names; structs and lists of
structs become sub-fields read with a JSON path. mlcroissant cannot read a list nested inside a
list of structs (a quote's ``content`` spans inside ``documents.quotes``), so such a column is named
in the record set's description instead of being described field by field. The file is checked
with ``mlcroissant validate`` in the tests. Nothing in it depends on the time of the build:
``datePublished`` is the newest ``ingested_at`` date of the release's articles. Shards, sizes,
sha256 and dates come from the release's ``ReleaseDescription``, not from reading it back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from datasets import ClassLabel, List, Value

from .features import config_features, configs
from ..core.io import write_text
from .description import ReleaseDescription

CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}
PARQUET = "application/x-parquet"
TYPES = {"string": "sc:Text", "bool": "sc:Boolean", "int32": "sc:Integer", "int64": "sc:Integer"}


class _RecordSet:
    """Builds the fields of one config's record set."""

    def __init__(self, config: str, fileset: str):
        self.config, self.fileset = config, fileset
        self.enumerations: list[dict] = []
        self.omitted: list[str] = []

    def source(self, column: str, path: str | None = None) -> dict:
        source = {"fileSet": {"@id": self.fileset}, "extract": {"column": column}}
        return {**source, "transform": {"jsonPath": path}} if path else source

    def enumeration(self, name: str, labels: ClassLabel) -> str:
        rid = f"{self.config}_{name.replace('/', '_')}_names"
        self.enumerations.append({
            "@type": "cr:RecordSet", "@id": rid, "name": rid, "description": f"Class names of {self.config}.{name}.",
            "dataType": "sc:Enumeration", "key": {"@id": f"{rid}/index"},
            "field": [{"@type": "cr:Field", "@id": f"{rid}/index", "name": "index", "dataType": "sc:Integer"},
                      {"@type": "cr:Field", "@id": f"{rid}/name", "name": "name", "dataType": "sc:Text"}],
            "data": [{f"{rid}/index": i, f"{rid}/name": n} for i, n in enumerate(labels.names)]})
        return rid

    def leaf(self, fid: str, name: str, feature, source: dict, *, top: bool, repeated: bool = False) -> dict:
        field = {"@type": "cr:Field", "@id": fid, "name": name}
        inner = feature.feature if repeated else feature
        if isinstance(inner, ClassLabel):
            rid = self.enumeration(fid.split("/", 1)[1], inner)
            field["description"] = f"Class label: an index into record set {rid}."
            field["dataType"] = "sc:Integer"
            if top and not repeated:
                field["references"] = {"field": {"@id": f"{rid}/index"}}
        else:
            field["dataType"] = TYPES[inner.dtype]
        if repeated:
            field["repeated"] = True
        field["source"] = source
        return field

    def field(self, column: str, feature) -> dict | None:
        fid = f"{self.config}/{column}"
        if isinstance(feature, (Value, ClassLabel)):
            return self.leaf(fid, column, feature, self.source(column), top=True)
        if isinstance(feature, List) and isinstance(feature.feature, (Value, ClassLabel)):
            return self.leaf(fid, column, feature, self.source(column), top=True, repeated=True)
        if isinstance(feature, dict):
            subs = [self.leaf(f"{fid}/{k}", k, v, self.source(column, k), top=False) for k, v in feature.items()]
            return {"@type": "cr:Field", "@id": fid, "name": column, "subField": subs}
        if isinstance(feature, List) and isinstance(feature.feature, dict):
            subs = []
            for key, child in feature.feature.items():
                if isinstance(child, dict):  # a struct in a list item: its leaves, by dotted path
                    subs.extend(self.leaf(f"{fid}/{key}/{k}", f"{key}/{k}", v, self.source(column, f"{key}.{k}"), top=False)
                                for k, v in child.items())
                elif isinstance(child, List):
                    self.omitted.append(f"{column}.{key}")
                else:
                    subs.append(self.leaf(f"{fid}/{key}", key, child, self.source(column, key), top=False))
            return {"@type": "cr:Field", "@id": fid, "name": column, "repeated": True, "subField": subs}
        self.omitted.append(column)
        return None


def croissant_metadata(release: ReleaseDescription, *, version: str, url: str | None = None) -> dict:
    found = release.shards
    distribution, record_sets = [], []
    for config in (c for c in configs() if c in found):
        files = [f for split in sorted(found[config]) for f in found[config][split]]
        relative = [f.path for f in files]
        distribution.extend({"@type": "cr:FileObject", "@id": f.path, "name": f.path, "contentUrl": f.path,
                             "contentSize": f"{f.size} B", "encodingFormat": PARQUET, "sha256": f.sha256}
                            for f in files)
        fileset = f"{config}-parquet"
        distribution.append({"@type": "cr:FileSet", "@id": fileset, "name": fileset, "encodingFormat": PARQUET,
                             "includes": relative if len(relative) > 1 else relative[0]})
        rs = _RecordSet(config, fileset)
        fields = []
        if len(found[config]) > 1 and "split" not in config_features(config):
            splits = "|".join(sorted(found[config], key=lambda s: (-len(s), s)))
            fields.append({"@type": "cr:Field", "@id": f"{config}/split", "name": "split", "dataType": "sc:Text",
                           "source": {"fileSet": {"@id": fileset}, "extract": {"fileProperty": "fullpath"},
                                      "transform": {"regex": f"^{re.escape(config)}/({splits})\\-.*\\.parquet$"}}})
        fields.extend(f for column, feature in config_features(config).items() if (f := rs.field(column, feature)))
        description = f"The {config} config."
        if rs.omitted:
            description += " Nested lists not described field by field: " + ", ".join(rs.omitted) + "."
        record_sets.append({"@type": "cr:RecordSet", "@id": config, "name": config, "description": description,
                            "field": fields})
        record_sets.extend(rs.enumerations)
    return {
        "@context": CONTEXT, "@type": "sc:Dataset", "name": "whosaidwhat",
        "description": "An English news corpus annotated with named entities (OntoNotes 5), quotes (PARC 3.0: "
                       "content, cue, speaker; named and anonymous sources) and claims (Full Fact claim types, "
                       "ClaimBuster check-worthiness).",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": f"whosaidwhat: who is quoted and what is claimed in the news, version {version}.",
        "creator": {"@type": "sc:Organization", "name": "The whosaidwhat project"},
        "datePublished": release.newest_ingested,
        "keywords": ["quotation attribution", "claim detection", "named entity recognition", "news"],
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "url": url or f"urn:whosaidwhat:release:{version}",
        "version": version, "distribution": distribution, "recordSet": record_sets,
    }


def write_croissant(folder: Path, release: ReleaseDescription, *, version: str, url: str | None = None) -> None:
    document = croissant_metadata(release, version=version, url=url)
    write_text(Path(folder) / "croissant.json", json.dumps(document, ensure_ascii=False, indent=2) + "\n", overwrite=True)
