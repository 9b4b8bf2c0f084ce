"""The release in the formats other tools read: CoNLL-2003 style IOB2 text, brat standoff, spaCy
``DocBin``. Each reads a release folder through ``datasets`` (the ``ner`` and ``documents`` configs)
and writes one file (or folder) per split.

>>> write_conll("releases/0.1.1", "out/conll")       # out/conll/validation.conll
>>> write_brat("releases/0.1.1", "out/brat")         # out/brat/validation/<article_id>.txt/.ann
>>> write_spacy("releases/0.1.1", "out/spacy")       # out/spacy/validation.spacy
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from datasets import Dataset

from ..release.features import compile_decoder

from .loaders import load

QUOTE_ATTRIBUTES = ("kind", "speaker_kind")
CLAIM_ATTRIBUTES = ("claim_type", "checkworthiness")


def iter_documents(dataset: Dataset) -> Iterator[tuple[dict, list[dict], list[dict], list[dict]]]:
    """(article, entities, quotes, claims) of each ``documents`` row, labels as names."""
    decode = compile_decoder(dataset.features)
    for row in dataset:
        doc = decode(row)
        article = {k: v for k, v in doc.items() if k not in ("entities", "quotes", "claims")}
        yield article, doc["entities"], doc["quotes"], doc["claims"]


@dataclass
class ExportReport:
    files: list[Path] = field(default_factory=list)
    documents: int = 0
    skipped_without_text: list[str] = field(default_factory=list)
    misaligned: dict[str, int] = field(default_factory=dict)


def write_conll(release: str | Path, out: str | Path) -> ExportReport:
    """``<split>.conll``: ``-DOCSTART-`` before each article, one ``token<TAB>tag`` line per token,
    a blank line after each paragraph; IOB2 tags as in the ``ner`` config."""
    out, report = Path(out), ExportReport()
    out.mkdir(parents=True, exist_ok=True)
    for split, ds in load("ner", source=release).items():
        tags = ds.features["ner_tags"].feature
        lines, current = [], None
        for row in ds:
            if row["tokens"] is None:
                report.skipped_without_text.append(row["id"])
                continue
            if row["article_id"] != current:
                current = row["article_id"]
                report.documents += 1
                lines += ["-DOCSTART-\tO", ""]
            lines += [f"{token}\t{tags.int2str(tag)}" for token, tag in zip(row["tokens"], row["ner_tags"])] + [""]
        path = out / f"{split}.conll"
        path.write_text("\n".join(lines), encoding="utf-8")
        report.files.append(path)
    return report


def _brat_lines(entities, quotes, claims) -> list[str]:
    lines, relations, attributes = [], [], []
    t = 0

    def term(label: str, spans: list[dict]) -> str:
        nonlocal t
        t += 1
        offsets = ";".join(f"{s['start']} {s['end']}" for s in spans)
        lines.append(f"T{t}\t{label} {offsets}\t{' '.join(s['text'] for s in spans)}")
        return f"T{t}"

    def attribute(target: str, name: str, value: str) -> None:
        attributes.append(f"A{len(attributes) + 1}\t{name} {target} {value}")

    for e in entities:
        term(e["label"], [e])
    quote_terms = {}
    for q in quotes:
        content = quote_terms[q["quote_id"]] = term("Quote", q["content"])
        for name in QUOTE_ATTRIBUTES:
            attribute(content, name, q[name])
        for role, label in (("speaker", "Speaker"), ("cue", "Cue")):
            if q[role]:
                relations.append((f"{role}_of", term(label, [q[role]]), content))
    for c in claims:
        claim = term("Claim", [c])
        for name in CLAIM_ATTRIBUTES:
            attribute(claim, name, c[name])
        if c["quote_id"] in quote_terms:
            relations.append(("made_in", claim, quote_terms[c["quote_id"]]))
    lines += [f"R{i}\t{name} Arg1:{a} Arg2:{b}" for i, (name, a, b) in enumerate(relations, 1)]
    return lines + attributes


def brat_conf() -> str:
    """brat's annotation.conf for these files, from the taxonomy."""
    from ..core.taxonomy import load_taxonomy
    tax = load_taxonomy()
    return "\n".join([
        "[entities]", *tax.names("entity_label"), "Quote", "Speaker", "Cue", "Claim", "",
        "[relations]", "speaker_of\tArg1:Speaker, Arg2:Quote", "cue_of\tArg1:Cue, Arg2:Quote",
        "made_in\tArg1:Claim, Arg2:Quote", "", "[events]", "",
        "[attributes]",
        *(f"{name}\tArg:Quote, Value:{'|'.join(tax.names('quote_kind' if name == 'kind' else name))}" for name in QUOTE_ATTRIBUTES),
        *(f"{name}\tArg:Claim, Value:{'|'.join(tax.names(name))}" for name in CLAIM_ATTRIBUTES), ""])


def write_brat(release: str | Path, out: str | Path) -> ExportReport:
    """brat standoff: ``<split>/<article_id>.txt`` and ``.ann`` with T (entities, Quote — discontinuous
    when split —, Speaker, Cue, Claim), R (speaker_of, cue_of, made_in) and A (quote and claim
    labels) lines, and ``annotation.conf``."""
    out, report = Path(out), ExportReport()
    out.mkdir(parents=True, exist_ok=True)
    (out / "annotation.conf").write_text(brat_conf(), encoding="utf-8")
    for split, ds in load("documents", source=release).items():
        folder = out / split
        folder.mkdir(parents=True, exist_ok=True)
        for article, entities, quotes, claims in iter_documents(ds):
            if article["text"] is None:
                report.skipped_without_text.append(article["article_id"])
                continue
            report.documents += 1
            base = folder / article["article_id"]
            base.with_suffix(".txt").write_text(article["text"], encoding="utf-8")
            base.with_suffix(".ann").write_text("\n".join(_brat_lines(entities, quotes, claims)) + "\n", encoding="utf-8")
            report.files += [base.with_suffix(".txt"), base.with_suffix(".ann")]
    return report


def _aligned(doc, spans: list[tuple[dict, str]], layer: str, alignment_mode: str, report: ExportReport) -> list:
    """spaCy spans for (span, label) pairs; each one that does not align is counted in the report."""
    made = []
    for span, label in spans:
        result = doc.char_span(span["start"], span["end"], label=label, alignment_mode=alignment_mode)
        if result is None:
            report.misaligned[layer] = report.misaligned.get(layer, 0) + 1
        else:
            made.append(result)
    return made


def write_spacy(release: str | Path, out: str | Path, *, alignment_mode: str = "strict") -> ExportReport:
    """``<split>.spacy`` DocBins for ``spacy train``: entities as ``doc.ents``, quote content, speakers
    and cues in the span group ``quotes`` (labels ``content``, ``speaker``, ``cue``), claims in
    ``claims`` (label: the claim type). Spans are made with ``Doc.char_span(alignment_mode=...)``
    on spaCy's blank English tokeniser; a span that does not align is counted per layer in
    ``misaligned``, never silently dropped from the count."""
    import spacy
    from spacy.tokens import DocBin
    nlp = spacy.blank("en")
    out, report = Path(out), ExportReport()
    out.mkdir(parents=True, exist_ok=True)
    for split, ds in load("documents", source=release).items():
        bin_ = DocBin(store_user_data=True)
        for article, entities, quotes, claims in iter_documents(ds):
            if article["text"] is None:
                report.skipped_without_text.append(article["article_id"])
                continue
            doc = nlp.make_doc(article["text"])
            doc.user_data["article_id"] = article["article_id"]
            quote_parts = [(piece, label) for q in quotes for piece, label in
                           [*((p, "content") for p in q["content"]), *((q[r], r) for r in ("speaker", "cue") if q[r])]]
            doc.ents = _aligned(doc, [(e, e["label"]) for e in entities], "entities", alignment_mode, report)
            doc.spans["quotes"] = _aligned(doc, quote_parts, "quotes", alignment_mode, report)
            doc.spans["claims"] = _aligned(doc, [(c, c["claim_type"]) for c in claims], "claims", alignment_mode, report)
            bin_.add(doc)
            report.documents += 1
        path = out / f"{split}.spacy"
        bin_.to_disk(path)
        report.files.append(path)
    return report


WRITERS = {"conll": write_conll, "brat": write_brat, "spacy": write_spacy}


def export_main(kind: str, argv: list[str] | None = None) -> int:
    """The body of ``scripts/export_<kind>.py``: ``[RELEASE] OUT_FOLDER``, RELEASE a version in
    releases/ or a folder (default: the newest release); prints what was written and what was not."""
    import argparse

    from ..release.folders import release_folder
    parser = argparse.ArgumentParser(prog=f"export_{kind}.py", description=WRITERS[kind].__doc__.split("\n")[0])
    parser.add_argument("args", nargs="+", metavar="[RELEASE] OUT_FOLDER")
    *release, out = parser.parse_args(argv).args
    folder = release_folder(release[0] if release else None)
    report = WRITERS[kind](folder, out)
    print(f"{report.documents} document(s) from {folder} written to {out}: "
          + ", ".join(str(p) for p in report.files[:6]) + (" ..." if len(report.files) > 6 else ""))
    if report.skipped_without_text:
        print(f"{len(report.skipped_without_text)} article(s) without text (a standoff copy): rehydrate them first")
    for layer, count in report.misaligned.items():
        print(f"{count} {layer} span(s) did not align to spaCy tokens")
    return 0
