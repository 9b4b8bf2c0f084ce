"""Team annotation that loses nothing, on two real servers at once, as a team works: server A is the
team's server on PostgreSQL, server B a newcomer's fresh server on SQLite in another clone. The
repository starts as this one: the committed seed article and its gold. Pull both, convert: the
union, nothing lost, one pseudonym per person; a repeated pull and convert changes nothing; a
deletion on A is written only with ``--allow-removal``; a second annotator is served an annotated
task."""

from __future__ import annotations

import json
import shutil

import pytest

from whosaidwhat import ArticleMetadata, Layout, ingest_files, validate
from whosaidwhat.cli import main
from whosaidwhat.convert.changes import ADDED, REMOVED
from whosaidwhat.convert.pipeline import RemovalRefused, convert
from whosaidwhat.labelstudio.client import ANNOTATORS_PER_TASK, client, pull, push
from whosaidwhat.labelstudio.team import KEY_VARIABLE, PseudonymKey

from .conftest import REPO_ROOT
from .lsannotate import Annotation
from .lsusers import Person, invite

pytestmark = pytest.mark.labelstudio

LAYERS = ("entities", "quotes", "claims")
SEED = "wsw-752693cc0e635468"
TEAM_KEY = "the-team-key-of-this-test"
LEAD, SECOND = "lead.annotator@newsroom.example.org", "second.person@team.example.org"
STORY = ("The city council approved a new budget on Tuesday.\n"
         "\u201cWe will hire forty more nurses,\u201d said Mayor Lena Ortiz.\n")


def pseudonym(email: str) -> str:
    return f"annotator-{PseudonymKey(TEAM_KEY.encode(), 'test').digest(email)[:8]}"


def records(layout: Layout, article_id: str) -> dict:
    return json.loads(layout.records_path(article_id).read_text(encoding="utf-8"))


def without_support(items: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "supported_by"} for r in items]


@pytest.fixture
def clone(tmp_path, monkeypatch):
    """A copy of this repository's corpus and annotations (the committed seed gold and every
    export), plus one new story, as a fresh clone that ingested it."""
    monkeypatch.setenv(KEY_VARIABLE, TEAM_KEY)
    layout = Layout(tmp_path / "clone")
    shutil.copytree(REPO_ROOT / "corpus", layout.corpus)
    shutil.copytree(REPO_ROOT / "annotations", layout.annotations,
                    ignore=shutil.ignore_patterns("images", "*.md", ".lock", ".records.*"))
    # The repository's pseudonym registry was made with the team's key, which a test cannot have: this
    # team starts its own (tests/test_team.py pins the refusal of another key and --new-key).
    (layout.annotations / "pseudonyms.json").unlink(missing_ok=True)
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    ingest_files([story], ArticleMetadata(title="Council approves budget", outlet="Test Wire", redistributable=True),
                 layout=layout)
    monkeypatch.chdir(layout.root)
    return layout


def story_id(layout: Layout) -> str:
    return next(p.stem for p in layout.corpus.glob("*.json") if "Council approves budget" in p.read_text(encoding="utf-8"))


def seed_annotation(text: str) -> list[dict]:
    a = Annotation(text, "s")
    a.region("entity", "PERSON", "Nicolás Maduro", entity_key="maduro")
    a.quote("Maduro’s options are running out fast", "One official", "said", "indirect", "anonymous")
    return a.results


def story_annotation(text: str, *, gold: bool) -> list[dict]:
    a = Annotation(text, "g" if gold else "h")
    a.region("entity", "PERSON", "Lena Ortiz", entity_key="lena-ortiz")
    [content] = a.quote("We will hire forty more nurses", "Mayor Lena Ortiz", "said", "direct", "named_person")
    claim = a.region("claim", "claim", "We will hire forty more nurses", claim_type="prediction",
                     checkworthiness="check_worthy")
    if gold:
        a.region("entity", "ORG", "city council", entity_key="city-council")
    return a.results


def test_two_servers_merge_and_nothing_committed_is_lost(clone, label_studio_postgres, label_studio, capsys):
    committed = records(clone, SEED)
    committed_gold = {layer: [r for r in committed[layer] if r["origin"] == "gold"] for layer in LAYERS}
    assert sum(map(len, committed_gold.values())) == 97
    story = story_id(clone)

    # Server A, the team's (PostgreSQL): the lead's gold of the new story, and a second person's annotation.
    a = client(label_studio_postgres.url, label_studio_postgres.token)
    project_a = push(clone, ls=a)
    second_token = invite(label_studio_postgres.url, label_studio_postgres.token, SECOND, "second-person-pw-1")
    lead_token = invite(label_studio_postgres.url, label_studio_postgres.token, LEAD, "lead-person-pw-1")
    tasks_a = {t.data["article_id"]: t for t in a.tasks.list(project=project_a.project_id)}
    lead, second_on_a = Person(label_studio_postgres.url, lead_token), Person(label_studio_postgres.url, second_token)
    gold_id = lead.annotate(tasks_a[story].id, story_annotation(tasks_a[story].data["text"], gold=True))
    a.annotations.update(id=gold_id, ground_truth=True)
    served = second_on_a.next_task(project_a.project_id)  # a task one person annotated is served to the next
    assert ANNOTATORS_PER_TASK == 2 and served is not None
    served_ids = {served["id"]}
    while served["id"] != tasks_a[story].id:  # the stream serves the other tasks first: annotate each (empty) and go on
        second_on_a.annotate(served["id"], [])
        served = second_on_a.next_task(project_a.project_id)
        assert served is not None and served["id"] not in served_ids
        served_ids.add(served["id"])
    second_on_a.annotate(served["id"], story_annotation(served["data"]["text"], gold=False))

    # Server B, a newcomer's fresh one (SQLite) in another clone: the same second person annotates the seed.
    b = client(label_studio.url, label_studio.token)
    project_b = push(clone, ls=b, predictions=False)  # independent of any pre-annotation
    tasks_b = {t.data["article_id"]: t for t in b.tasks.list(project=project_b.project_id)}
    assert not any(t.predictions for t in tasks_b.values())
    second_on_b = Person(label_studio.url, invite(label_studio.url, label_studio.token, SECOND, "second-person-pw-2"))
    second_on_b.annotate(tasks_b[SEED].id, seed_annotation(tasks_b[SEED].data["text"]))

    pulled = [pull(clone, ls=a), pull(clone, ls=b)]
    assert pulled[0].source != pulled[1].source and pulled[0].folder != pulled[1].folder
    assert main(["convert"]) == 0
    out = capsys.readouterr().out
    assert f"{SEED}: added human records of {pseudonym(SECOND)}" in out and "0 removed" in out
    assert validate(layout=clone).ok

    seed = records(clone, SEED)
    for layer in LAYERS:  # every committed gold record is still there, now supported by the second person where they agree
        assert without_support([r for r in seed[layer] if r["origin"] == "gold"]) == without_support(committed_gold[layer])
    humans = {r["annotator"] for layer in LAYERS for r in seed[layer] if r["origin"] == "human"}
    assert humans == {pseudonym(SECOND)}
    story_records = records(clone, story)
    by_origin = {(r["annotator"], r["origin"]) for layer in LAYERS for r in story_records[layer]}
    assert {(pseudonym(LEAD), "gold"), (pseudonym(SECOND), "human")} <= by_origin
    assert pseudonym(LEAD) != pseudonym(SECOND) and "annotator-01" not in {pseudonym(LEAD), pseudonym(SECOND)}
    gold_entities = [r for r in story_records["entities"] if r["origin"] == "gold"]
    assert {r["text"]: r["supported_by"] for r in gold_entities} == {"Lena Ortiz": [pseudonym(SECOND)], "city council": []}

    # Nothing that leads back to a person reaches the repository.
    written = "".join(p.read_text(encoding="utf-8") for p in clone.annotations.rglob("*.json"))
    for secret in (LEAD, SECOND, "newsroom.example.org", label_studio.token, label_studio_postgres.token, TEAM_KEY):
        assert secret not in written

    # A repeated pull and convert changes nothing.
    snapshot = {p: p.read_bytes() for p in clone.annotations.rglob("*") if p.is_file() and ".lock" not in p.name}
    assert [pull(clone, ls=a).path, pull(clone, ls=b).path] == [None, None]
    assert convert(layout=clone).changes == []
    assert {p: p.read_bytes() for p in clone.annotations.rglob("*") if p.is_file() and ".lock" not in p.name} == snapshot

    # A deletion on A is listed and written only with --allow-removal; B's annotation stays.
    second_annotation = next(x for x in a.annotations.list(id=tasks_a[story].id) if x.id != gold_id)
    a.annotations.delete(id=second_annotation.id)
    assert pull(clone, ls=a).path is not None
    with pytest.raises(RemovalRefused) as refused:
        convert(layout=clone)
    assert [p.message for p in refused.value.problems] == [
        f"{story}: removed human records of {pseudonym(SECOND)} ({pulled[0].source.prefix}.a{second_annotation.id}): "
        "1 entities, 1 quotes, 1 claims would be removed: its source no longer has this annotation or task"]
    assert records(clone, story) == story_records
    assert main(["convert", "--allow-removal"]) == 0
    assert f"{story}: removed human records of {pseudonym(SECOND)}" in capsys.readouterr().out
    assert {r["annotator"] for layer in LAYERS for r in records(clone, story)[layer] if r["origin"] == "human"} == set()
    assert {r["annotator"] for layer in LAYERS for r in records(clone, SEED)[layer] if r["origin"] == "human"} == {pseudonym(SECOND)}
    assert validate(layout=clone).ok
