"""Exports are sources, and a source only speaks for itself: exports of the same article from two
servers merge, a repeated convert changes nothing, and a record set disappears only when its own
source shows it deleted, and then only with ``allow_removal``. No server: saved exports."""

import copy
import json

import pytest

from whosaidwhat.cli import main
from whosaidwhat.convert.changes import ADDED, CHANGED, REMOVED
from whosaidwhat.convert.pipeline import RemovalRefused, convert
from whosaidwhat.labelstudio.sources import Source, folder_source, write_source

from .conftest import FIXTURES, SMALL_ARTICLE_ID

EXPORT = json.loads((FIXTURES / "labelstudio" / "export-small.json").read_text(encoding="utf-8"))
SERVER_A, SERVER_B = Source("ls-aaaaaaaa", "ls-aaaaaaaa", "p"), Source("ls-bbbbbbbb", "ls-bbbbbbbb", "p")


def export(repo, source: Source, tasks, name="export-20260101T000000Z.json"):
    folder = repo.labelstudio_exports / f"p-{source.id}"
    folder.mkdir(parents=True, exist_ok=True)
    write_source(folder, source)
    (folder / name).write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return folder / name


def only_annotation(index: int, annotator: str):
    """The fixture's task with one of its annotations, made by ``annotator``, and no prediction."""
    tasks = copy.deepcopy(EXPORT)
    ann = tasks[0]["annotations"][index]
    tasks[0]["annotations"], tasks[0]["predictions"], tasks[0]["drafts"] = [{**ann, "completed_by": annotator}], [], []
    return tasks


def record_sets(repo):
    records = json.loads(repo.records_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))
    return {(r["annotator"], r["origin"], r[{"entities": "mention_id", "quotes": "quote_id", "claims": "claim_id"}[layer]].split(":")[1])
            for layer in ("entities", "quotes", "claims") for r in records[layer]}


@pytest.fixture
def repo(small_repo):
    import shutil
    shutil.rmtree(small_repo.records)
    return small_repo


def test_the_same_annotation_id_on_two_servers_is_two_record_sets(repo):
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    export(repo, SERVER_B, only_annotation(1, "annotator-bbbb0002"))  # annotation ids are per server
    report = convert(layout=repo)
    assert record_sets(repo) == {("annotator-aaaa0001", "gold", f"ls-aaaaaaaa.a{EXPORT[0]['annotations'][0]['id']}"),
                                 ("annotator-bbbb0002", "human", f"ls-bbbbbbbb.a{EXPORT[0]['annotations'][1]['id']}")}
    assert sorted(c.kind for c in report.changes) == [ADDED, ADDED] and report.sources == 2
    from whosaidwhat import validate
    assert validate(layout=repo).ok


def test_a_repeated_convert_changes_nothing(repo):
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    export(repo, SERVER_B, only_annotation(1, "annotator-bbbb0002"))
    convert(layout=repo)
    before = repo.records_path(SMALL_ARTICLE_ID).read_bytes()
    report = convert(layout=repo)
    assert report.changes == [] and repo.records_path(SMALL_ARTICLE_ID).read_bytes() == before


def test_an_export_speaks_only_for_its_own_source(repo):
    """Converting server B's export alone keeps what server A's exports said of the article."""
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    convert(layout=repo)
    b = export(repo, SERVER_B, only_annotation(1, "annotator-bbbb0002"))
    report = convert([b], layout=repo)
    assert {s[0] for s in record_sets(repo)} == {"annotator-aaaa0001", "annotator-bbbb0002"}
    # B's human annotation is added; A's gold is changed only in that B's annotator now supports it
    assert [(c.kind, c.annotator) for c in report.changes] == [(CHANGED, "annotator-aaaa0001"), (ADDED, "annotator-bbbb0002")]


def test_gold_is_supported_by_a_human_annotation_from_another_server(repo):
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    export(repo, SERVER_B, _as_human(only_annotation(0, "annotator-bbbb0002")))
    convert(layout=repo)
    records = json.loads(repo.records_path(SMALL_ARTICLE_ID).read_text(encoding="utf-8"))
    gold = [r for layer in ("entities", "quotes", "claims") for r in records[layer] if r["origin"] == "gold"]
    assert gold and all(r["supported_by"] == ["annotator-bbbb0002"] for r in gold)


def _as_human(tasks):
    tasks[0]["annotations"][0]["ground_truth"] = False
    return tasks


def test_a_deletion_in_its_own_source_is_listed_and_written_only_when_allowed(repo, monkeypatch, capsys):
    both = copy.deepcopy(EXPORT)
    both[0]["predictions"] = []
    export(repo, SERVER_A, both)
    export(repo, SERVER_B, only_annotation(1, "annotator-bbbb0002"))
    convert(layout=repo)
    before = repo.records_path(SMALL_ARTICLE_ID).read_bytes()
    deleted = copy.deepcopy(both)
    deleted[0]["annotations"] = deleted[0]["annotations"][:1]  # server A deleted its second annotation
    export(repo, SERVER_A, deleted, name="export-20260102T000000Z.json")
    with pytest.raises(RemovalRefused) as refused:
        convert(layout=repo)
    [problem] = refused.value.problems
    assert f"{SMALL_ARTICLE_ID}: removed human records of annotator-02 (ls-aaaaaaaa.a" in str(problem)
    assert repo.records_path(SMALL_ARTICLE_ID).read_bytes() == before  # nothing written
    monkeypatch.chdir(repo.root)
    assert main(["convert"]) == 1
    assert "removed human records of annotator-02" in capsys.readouterr().out
    assert main(["convert", "--allow-removal"]) == 0
    out = capsys.readouterr().out
    assert f"{SMALL_ARTICLE_ID}: removed human records of annotator-02" in out and "1 removed" in out
    sets = record_sets(repo)
    assert ("annotator-02", "human") not in {s[:2] for s in sets}
    assert ("annotator-bbbb0002", "human") in {s[:2] for s in sets}  # server B's annotation stays


def test_an_update_in_a_source_is_reported_as_changed(repo):
    tasks = only_annotation(1, "annotator-bbbb0002")
    export(repo, SERVER_B, tasks)
    convert(layout=repo)
    updated = copy.deepcopy(tasks)
    entity = next(r for r in updated[0]["annotations"][0]["result"] if r.get("from_name") == "entity" and r.get("type") == "labels")
    updated[0]["annotations"][0]["result"] = [r for r in updated[0]["annotations"][0]["result"] if r.get("id") != entity["id"]
                                              and entity["id"] not in (r.get("from_id"), r.get("to_id"))]
    export(repo, SERVER_B, updated, name="export-20260102T000000Z.json")
    report = convert(layout=repo)
    assert [c.kind for c in report.changes] == [CHANGED]


def test_a_folder_that_does_not_say_whose_it_is_is_refused(repo, tmp_path):
    """An export saved by hand (no source.json) could otherwise replace the unprefixed, committed
    records: it is refused, naming the folder, and nothing is written."""
    from whosaidwhat.core.errors import UnusableInputError
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "export-20260101T000000Z.json").write_text(json.dumps(EXPORT), encoding="utf-8")
    with pytest.raises(UnusableInputError, match="has no source.json"):
        convert([downloads / "export-20260101T000000Z.json"], layout=repo)
    (downloads / "source.json").write_text('{"source": 3}')
    with pytest.raises(UnusableInputError, match="source.json"):
        folder_source(downloads)
    (downloads / "source.json").write_text('{"source": "x", "record_prefix": "ls:x"}')
    with pytest.raises(UnusableInputError, match="record_prefix 'ls:x'"):
        folder_source(downloads)
    assert not repo.records.exists()


def test_two_sources_with_one_prefix_are_refused(repo):
    from whosaidwhat.core.errors import CorpusError
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    export(repo, Source("ls-cccccccc", SERVER_A.prefix, "p"), only_annotation(1, "annotator-bbbb0002"))
    with pytest.raises(CorpusError, match="both have record prefix 'ls-aaaaaaaa'"):
        convert(layout=repo)


def test_every_task_of_an_article_pushed_twice_into_one_project_is_kept(repo, monkeypatch):
    from whosaidwhat.convert import exports
    monkeypatch.setattr(exports, "CHUNK_BYTES", 2000)  # the two tasks in two pieces, converted by two workers
    for jobs, layout_lines in ((1, False), (2, True)):
        tasks = only_annotation(0, "annotator-aaaa0001") + only_annotation(1, "annotator-bbbb0002")
        tasks[1]["id"] = tasks[0]["id"] + 1  # two tasks of one article in one project
        path = export(repo, SERVER_A, tasks)
        if layout_lines:
            from whosaidwhat.core.io import dumps_lines
            path.write_bytes(dumps_lines(tasks))
        report = convert(layout=repo, jobs=jobs, allow_removal=True)
        assert {s[0] for s in record_sets(repo)} == {"annotator-aaaa0001", "annotator-bbbb0002"}, layout_lines
        assert report.annotations == 2


def test_an_older_export_alone_is_refused(repo):
    from whosaidwhat.core.errors import CorpusError
    old = export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"), name="export-20260102T000000Z.json")
    with pytest.raises(CorpusError, match="older than export-20260102T000000Z.json of the same source"):
        convert([old], layout=repo)


def test_a_task_deleted_in_its_source_is_a_removal(repo):
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    export(repo, SERVER_B, only_annotation(1, "annotator-bbbb0002"))
    convert(layout=repo)
    export(repo, SERVER_A, [], name="export-20260102T000000Z.json")  # the task was deleted on server A
    with pytest.raises(RemovalRefused) as refused:
        convert(layout=repo)
    assert [p.record_id.split(".")[0] for p in refused.value.problems] == ["ls-aaaaaaaa"]
    report = convert(layout=repo, allow_removal=True)
    assert [(c.kind, c.annotator) for c in report.changes] == [(REMOVED, "annotator-aaaa0001")]
    assert {s[0] for s in record_sets(repo)} == {"annotator-bbbb0002"}


def test_a_broken_records_file_is_a_problem_not_a_traceback(repo):
    from whosaidwhat import InvalidDataError
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    convert(layout=repo)
    path = repo.records_path(SMALL_ARTICLE_ID)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["mention_id"] = "no-colons"
    path.write_text(json.dumps(data), encoding="utf-8")
    export(repo, SERVER_B, only_annotation(1, "annotator-bbbb0002"))
    with pytest.raises(InvalidDataError) as refused:
        convert(layout=repo)
    assert "cannot keep the records of other sources" in str(refused.value.problems[0])


def test_gold_from_two_sources_or_one_annotator_twice_is_a_problem(repo):
    """The same annotation pulled from two servers would be released twice as gold, and a person
    with two record sets of one article counted twice by agreement: convert refuses both, naming them."""
    from whosaidwhat import InvalidDataError
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"))
    export(repo, SERVER_B, only_annotation(0, "annotator-aaaa0001"))
    with pytest.raises(InvalidDataError) as refused:
        convert(layout=repo)
    assert f"article {SMALL_ARTICLE_ID} has 2 gold record sets (ls-aaaaaaaa.a" in str(refused.value.problems[0])
    export(repo, SERVER_B, _as_human(only_annotation(1, "annotator-bbbb0002")), name="export-20260102T000000Z.json")
    export(repo, SERVER_A, only_annotation(0, "annotator-aaaa0001"), name="export-20260102T000000Z.json")
    convert(layout=repo)
    export(repo, SERVER_A, _as_human(only_annotation(1, "annotator-bbbb0002")), name="export-20260103T000000Z.json")
    with pytest.raises(InvalidDataError) as refused:
        convert(layout=repo, allow_removal=True)
    assert f"annotator-bbbb0002 has 2 record sets of article {SMALL_ARTICLE_ID}" in str(refused.value.problems[0])


def test_the_same_models_predictions_from_two_servers_are_two_rows_of_the_release(repo):
    import pyarrow.parquet as pq
    from whosaidwhat.release.build import build_release
    gold_and_prediction = only_annotation(0, "annotator-aaaa0001")
    gold_and_prediction[0]["predictions"] = copy.deepcopy(EXPORT[0]["predictions"])
    prediction_only = copy.deepcopy(EXPORT)
    prediction_only[0]["annotations"], prediction_only[0]["drafts"] = [], []
    export(repo, SERVER_A, gold_and_prediction)
    export(repo, SERVER_B, prediction_only)
    convert(layout=repo)
    folder = build_release(repo, "0.1.0").path
    rows = pq.read_table(next((folder / "annotator_records").rglob("*.parquet"))).to_pylist()
    model_rows = [r for r in rows if r["annotator"].startswith("model:")]
    def contents(row):
        return [q["content"] for q in row["quotes"]]
    assert len(model_rows) == 2 and contents(model_rows[0]) == contents(model_rows[1]) != []
    assert {q["quote_id"].split(":")[1] for row in model_rows for q in row["quotes"]} == {"ls-aaaaaaaa.p5", "ls-bbbbbbbb.p5"}
