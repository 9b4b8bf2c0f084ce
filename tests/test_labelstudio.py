"""The Label Studio round trip against the real server the test session starts: push, annotate
through the API as annotators would, pull, convert, validate."""

from __future__ import annotations

import json
import shutil
import urllib.request

import pytest
import requests

from whosaidwhat import ArticleMetadata, Layout, ingest_files, validate
from whosaidwhat.cli import main
from whosaidwhat.convert.pipeline import convert
from whosaidwhat.labelstudio.client import client, pull, push
from whosaidwhat.labelstudio.team import KEY_VARIABLE, PseudonymKey
from whosaidwhat.preannotate import RULES_VERSION
from whosaidwhat.labelstudio.server import ServerSettings, is_healthy, start_server, stop_server

from .conftest import REPO_ROOT
from .lsannotate import Annotation

pytestmark = pytest.mark.labelstudio

EMOJI_TEXT = ("\U0001F600\U0001F44D Breaking: \u201cWe will rebuild the port,\u201d said Mar\u00eda L\u00f3pez.\r\n"
              "Officials told reporters that 3 bridges had closed since May.\r\n")
SECOND_USER = {"email": "second.annotator@lab.example.org", "first_name": "Secunda", "last_name": "Annotatrix"}
TEAM_KEY = "test-team-key-not-a-secret"


@pytest.fixture(autouse=True)
def team_key(monkeypatch):
    """The team's pseudonym key, so that no test writes one into the home folder."""
    monkeypatch.setenv(KEY_VARIABLE, TEAM_KEY)


def pseudonym(email: str) -> str:
    return f"annotator-{PseudonymKey(TEAM_KEY.encode(), 'test').digest(email)[:8]}"


def exports_of(layout) -> list:
    return sorted(layout.labelstudio_exports.glob("*/export-*.json"))


@pytest.fixture
def repo(tmp_path):
    """A repository with the seed article and an article with emoji and \\r\\n newlines."""
    layout = Layout(tmp_path / "repo")
    layout.corpus.mkdir(parents=True)
    shutil.copy(Layout(REPO_ROOT).article_path("wsw-752693cc0e635468"), layout.corpus)
    source = tmp_path / "emoji.txt"
    source.write_bytes(EMOJI_TEXT.encode("utf-8"))
    ingest_files([source], ArticleMetadata(outlet="Test Wire", redistributable=True), layout=layout)
    return layout


def _emoji_article(layout):
    return next(json.loads(p.read_text(encoding="utf-8")) for p in layout.corpus.glob("*.json")
                if "Test Wire" in p.read_text(encoding="utf-8"))


def _gold_results(text: str) -> list[dict]:
    a = Annotation(text, "g")
    a.region("entity", "PERSON", "Mar\u00eda L\u00f3pez", entity_key="maria-lopez")
    a.quote("We will rebuild the port", "Mar\u00eda L\u00f3pez", "said", "direct", "named_person")
    [officials] = a.quote("3 bridges had closed since May", "Officials", "told", "indirect", "anonymous")
    claim = a.region("claim", "claim", "3 bridges had closed since May", claim_type="quantity", checkworthiness="check_worthy")
    a.relate(claim, officials, "made_in")
    return a.results


def test_push_creates_the_project_and_imports_each_article_once_with_predictions(repo, ls_env, monkeypatch, capsys):
    monkeypatch.chdir(repo.root)
    assert main(["labelstudio", "push", "--project", "push-test"]) == 0
    assert "2 task(s) added, 0 already there" in capsys.readouterr().out
    assert main(["labelstudio", "push", "--project", "push-test"]) == 0
    assert "0 task(s) added, 2 already there" in capsys.readouterr().out
    ls = client()
    [project] = [p for p in ls.projects.list() if p.title == "push-test"]
    tasks = list(ls.tasks.list(project=project.id))
    assert len(tasks) == 2
    article = _emoji_article(repo)
    task = next(t for t in tasks if t.data["article_id"] == article["article_id"])
    assert task.data == {"text": article["text"], "article_id": article["article_id"], "text_sha256": article["text_sha256"],
                         "title": article["article_id"], "outlet": "Test Wire", "published_date": "date unknown"}
    assert "\r" not in task.data["text"]
    [version] = {p.model_version for t in tasks for p in t.predictions}
    assert version.startswith(f"{RULES_VERSION}+spacy:en_")  # the rules' version and the model that ran
    # the emoji article (astral code points) gets regions at the right code-point offsets
    emoji_task = next(t for t in tasks if t.data["article_id"] == article["article_id"])
    for result in (r for p in emoji_task.predictions for r in p.result if r["type"] == "labels"):
        assert article["text"][result["value"]["start"]:result["value"]["end"]] == result["value"]["text"]


def test_round_trip_push_annotate_pull_convert_validate(repo, ls_env, monkeypatch, capsys):
    title = "round-trip"
    ls = client()
    project_id = push(repo, title=title, ls=ls).project_id
    article = _emoji_article(repo)
    task = next(t for t in ls.tasks.list(project=project_id) if t.data["article_id"] == article["article_id"])
    text = task.data["text"]
    ls.annotations.create(id=task.id, result=_gold_results(text), ground_truth=True, was_cancelled=False, lead_time=60.0)
    user = ls.users.create(username=SECOND_USER["email"], **SECOND_USER)
    second = Annotation(text, "s")
    second.region("entity", "PERSON", "Mar\u00eda L\u00f3pez")
    ls.annotations.create(id=task.id, result=second.results, completed_by=user.id, lead_time=20.0)
    ls.annotations.create(id=task.id, result=[], was_cancelled=True, completed_by=user.id)
    requests.post(f"{ls_env.url}/api/tasks/{task.id}/drafts", headers={"Authorization": f"Token {ls_env.token}"},
                  json={"result": second.results, "lead_time": 2.0}, timeout=30).raise_for_status()

    monkeypatch.chdir(repo.root)
    assert main(["labelstudio", "pull", "--project", title]) == 0
    [export] = exports_of(repo)
    raw = export.read_text(encoding="utf-8")
    assert "created_ago" not in raw  # "0 minutes" ago: a pull a minute later would differ in nothing else
    assert main(["labelstudio", "pull", "--project", title]) == 0
    output = capsys.readouterr()
    assert "identical to the newest export already pulled; nothing written" in output.out
    assert exports_of(repo) == [export]

    for secret in (ls_env.token, ls_env.settings.password, SECOND_USER["email"], "admin@whosaidwhat.test",
                   SECOND_USER["first_name"], SECOND_USER["last_name"], "@lab.example.org"):
        assert secret not in raw
        assert secret not in output.out + output.err
        assert secret not in (repo.annotations / "pseudonyms.json").read_text()

    report = convert(layout=repo)
    assert (report.annotations, report.cancelled, report.drafts, report.corrections) == (2, 1, 1, [])
    assert validate(layout=repo).ok
    records = json.loads(repo.records_path(article["article_id"]).read_text(encoding="utf-8"))
    gold = {layer: [r for r in records[layer] if r["origin"] == "gold"] for layer in ("entities", "quotes", "claims")}
    _assert_gold_is_what_was_annotated(gold, article)
    annotators = {r["annotator"] for layer in ("entities", "quotes", "claims") for r in records[layer] if r["origin"] != "model"}
    assert annotators == {pseudonym("admin@whosaidwhat.test"), pseudonym(SECOND_USER["email"])}


def _assert_gold_is_what_was_annotated(gold, article):
    text, aid = article["text"], article["article_id"]

    def span(piece):
        start = text.index(piece)
        return {"start": start, "end": start + len(piece), "text": piece}

    assert text.startswith("\U0001F600\U0001F44D Breaking") and "\r" not in text
    start = span("Mar\u00eda L\u00f3pez")["start"]
    assert (start, len(text[:start].encode("utf-16-le")) // 2) == (46, 48)  # code points, not UTF-16 units
    [maria] = gold["entities"]
    assert {k: maria[k] for k in ("start", "end", "text", "label", "entity_id", "annotator")} == {
        **span("Mar\u00eda L\u00f3pez"), "label": "PERSON", "entity_id": f"{aid}:maria-lopez", "annotator": pseudonym("admin@whosaidwhat.test")}
    quotes = {q["speaker"]["text"]: q for q in gold["quotes"]}
    assert {k: quotes["Mar\u00eda L\u00f3pez"][k] for k in ("kind", "content", "cue", "speaker_kind", "speaker_entity_id")} == {
        "kind": "direct", "content": [span("We will rebuild the port")], "cue": span("said"),
        "speaker_kind": "named_person", "speaker_entity_id": f"{aid}:maria-lopez"}
    officials = quotes["Officials"]
    assert (officials["kind"], officials["speaker_kind"], officials["cue"], officials["content"]) == (
        "indirect", "anonymous", span("told"), [span("3 bridges had closed since May")])
    [claim] = gold["claims"]
    assert {k: claim[k] for k in ("start", "end", "text", "claim_type", "checkworthiness", "quote_id")} == {
        **span("3 bridges had closed since May"), "claim_type": "quantity", "checkworthiness": "check_worthy",
        "quote_id": officials["quote_id"]}


def test_pull_never_overwrites_an_export(repo, ls_env, tmp_path):
    from datetime import datetime, timezone
    from whosaidwhat.core.errors import AlreadyExistsError
    ls = client()
    push(repo, title="no-overwrite", ls=ls)
    moment = datetime(2026, 1, 1, tzinfo=timezone.utc)
    first = pull(repo, title="no-overwrite", ls=ls, now=moment).path
    first.write_text(first.read_text() + " ", encoding="utf-8")  # now it differs from what the server gives
    with pytest.raises(AlreadyExistsError, match="never overwritten"):
        pull(repo, title="no-overwrite", ls=ls, now=moment)
    assert first.read_text().endswith(" ")


def test_the_server_listens_on_loopback_only(label_studio):
    port = f"{label_studio.settings.port:04X}"
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if local.endswith(f":{port}") and state == "0A":
                listening.append(local.split(":")[0])
    assert listening and set(listening) <= {"0100007F", "00000000000000000000000001000000"}


def test_the_preset_token_works_and_a_wrong_one_is_refused(label_studio):
    def status(token):
        request = urllib.request.Request(f"{label_studio.url}/api/projects", headers={"Authorization": f"Token {token}"})
        try:
            return urllib.request.urlopen(request, timeout=30).status
        except urllib.error.HTTPError as e:
            return e.code
    assert status(label_studio.token) == 200
    assert status("0" * 40) == 401


def test_stop_by_process_id_and_restart_keeps_the_data(label_studio):
    settings = label_studio.settings
    ls = client(label_studio.url, label_studio.token)
    ls.projects.create(title="survives-restart")
    assert stop_server(settings) is True
    assert not is_healthy(settings.url) and not settings.pid_file.exists()
    start_server(settings)
    assert any(p.title == "survives-restart" for p in client(label_studio.url, label_studio.token).projects.list())


def test_stop_needs_no_credentials(label_studio, monkeypatch, capsys):
    """``labelstudio stop`` finds the server by where it lives (home, data folder, port), not by the
    credentials it was started with."""
    settings = label_studio.settings
    for name in ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WHOSAIDWHAT_LABEL_STUDIO_HOME", str(settings.home))
    monkeypatch.setenv("LABEL_STUDIO_BASE_DATA_DIR", str(settings.data))
    monkeypatch.setenv("LABEL_STUDIO_PORT", str(settings.port))
    monkeypatch.setenv("WHOSAIDWHAT_ROOT", str(REPO_ROOT))
    try:
        assert main(["labelstudio", "stop"]) == 0
        assert "Label Studio stopped" in capsys.readouterr().out and not is_healthy(settings.url)
        assert main(["labelstudio", "stop"]) == 0
        assert "no Label Studio server was running" in capsys.readouterr().out
    finally:
        start_server(settings)  # the session's server, for the tests after this one


def test_the_leads_start_variables_are_enough_to_push(label_studio, repo, monkeypatch):
    """ANNOTATING.md's steps: the variables ``labelstudio start`` was given reach the server for
    ``push`` too, with neither LABEL_STUDIO_URL nor LABEL_STUDIO_API_KEY set."""
    for name in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LABEL_STUDIO_PORT", str(label_studio.settings.port))
    monkeypatch.setenv("LABEL_STUDIO_USER_TOKEN", label_studio.token)
    assert push(repo, title="start-then-push").added == 2


def test_settings_from_env_need_the_credentials(monkeypatch, tmp_path):
    from whosaidwhat.core.errors import CorpusError
    for name in ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(CorpusError, match="set LABEL_STUDIO_USERNAME, LABEL_STUDIO_PASSWORD, LABEL_STUDIO_USER_TOKEN"):
        ServerSettings.from_env(Layout(tmp_path))


def test_adjudication_makes_gold_through_label_studio_and_sets_up_reviews(repo, ls_env):
    from whosaidwhat.agreement.adjudicate import adjudicate
    from whosaidwhat.agreement.review import push_reviews
    ls = client()
    title = "adjudication"
    project_id = push(repo, title=title, ls=ls).project_id
    tasks = {t.data["article_id"]: t for t in ls.tasks.list(project=project_id)}
    emoji = _emoji_article(repo)
    seed = next(a for a in tasks if a != emoji["article_id"])
    user = ls.users.create(username="reviewed.annotator@lab.example.org", email="reviewed.annotator@lab.example.org")
    for article_id, second_differs in ((emoji["article_id"], False), (seed, True)):
        task = tasks[article_id]
        text = task.data["text"]
        for annotator, differs in ((None, False), (user.id, second_differs)):
            a = Annotation(text, "r")
            if article_id == emoji["article_id"]:
                a.region("entity", "PERSON", "Mar\u00eda L\u00f3pez", entity_key="maria-lopez")
                a.quote("We will rebuild the port", "Mar\u00eda L\u00f3pez", "said", "direct", "named_person")
            else:
                a.region("entity", "GPE" if not differs else "LOC", "Venezuela")
            ls.annotations.create(id=task.id, result=a.results, **({"completed_by": annotator} if annotator else {}))
    pull(repo, title=title, ls=ls)
    convert(layout=repo)
    result = adjudicate(repo)
    assert [(c["article_id"], c["layer"]) for c in result.conflicts] == [(seed, "entities")]
    pushed = push_reviews(repo, result, title=title, ls=ls)
    assert (pushed.gold, pushed.reviews) == (1, 1)
    versions = {p.model_version for p in ls.predictions.list(project=project_id) if p.task == tasks[seed].id}
    reviewed = (pseudonym("admin@whosaidwhat.test"), pseudonym("reviewed.annotator@lab.example.org"))
    assert {"review:agreed", *(f"review:{name}" for name in reviewed)} <= versions
    pull(repo, title=title, ls=ls)
    convert(layout=repo)
    assert validate(layout=repo).ok
    records = json.loads(repo.records_path(emoji["article_id"]).read_text(encoding="utf-8"))
    gold = [r for layer in ("entities", "quotes") for r in records[layer] if r["origin"] == "gold"]
    assert len(gold) == 2 and all(r["supported_by"] == sorted(reviewed) for r in gold)


def test_a_wrong_token_or_a_missing_project_is_one_clear_line(repo, ls_env, monkeypatch, capsys):
    monkeypatch.chdir(repo.root)
    assert main(["labelstudio", "pull", "--project", "no-such-project"]) == 1
    err = capsys.readouterr().err
    assert "has no project titled 'no-such-project'; create it with `whosaidwhat labelstudio push" in err
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "f" * 40)
    assert main(["labelstudio", "push"]) == 1
    err = capsys.readouterr().err
    assert "refused the API key (401)" in err and "Traceback" not in err and "f" * 40 not in err


def test_the_server_log_holds_no_token_or_password(label_studio):
    log = label_studio.settings.log_file.read_text(encoding="utf-8", errors="replace")
    assert log and label_studio.token not in log and label_studio.settings.password not in log
