"""One pseudonym per person, everywhere: a keyed digest of the e-mail, the same from any server,
different for two people, never an e-mail in the repository, and a pull with another key refused."""

import json

import pytest

from whosaidwhat import Layout
from whosaidwhat.core.errors import CorpusError
from whosaidwhat.labelstudio.client import team_pseudonyms
from whosaidwhat.labelstudio.pseudonymize import KnownUser, pseudonymize
from whosaidwhat.labelstudio.sources import Source
from whosaidwhat.labelstudio.team import KEY_VARIABLE, PseudonymKey, Registry, key_file, team_key

ANA, BO = "ana.k@lab.example.org", "bo@lab.example.org"


@pytest.fixture
def layout(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_VARIABLE, "the-team-key")
    (tmp_path / "repo" / "annotations").mkdir(parents=True)
    return Layout(tmp_path / "repo")


def names(layout, users, source=Source("ls-11111111", "ls-11111111")):
    pseudonyms, registry = team_pseudonyms(layout, users, source)
    registry.save()
    return {int(k): v for k, v in pseudonyms.mapping.items()}


def test_the_same_person_has_the_same_pseudonym_on_two_servers_and_two_people_differ(layout):
    server_a = names(layout, [KnownUser(1, ANA), KnownUser(2, BO)])
    server_b = names(layout, [KnownUser(1, BO), KnownUser(7, ANA.upper())], Source("ls-22222222", "ls-22222222"))
    assert server_a[1] == server_b[7] and server_a[2] == server_b[1] and server_a[1] != server_a[2]
    assert server_a[1].startswith("annotator-") and len(server_a[1]) == len("annotator-") + 8


def test_a_fresh_clone_with_the_key_gives_the_same_pseudonyms(layout, tmp_path):
    first = names(layout, [KnownUser(1, ANA)])
    clone = Layout(tmp_path / "clone")
    (clone.annotations).mkdir(parents=True)
    assert names(clone, [KnownUser(5, ANA)])[5] == first[1]


def test_no_email_or_name_reaches_the_registry(layout):
    names(layout, [KnownUser(1, ANA, ("Ana", "Kowalska"))])
    text = (layout.annotations / "pseudonyms.json").read_text()
    assert "@" not in text and "Ana" not in text and "the-team-key" not in text


def test_a_pull_with_another_key_is_refused(layout, monkeypatch):
    names(layout, [KnownUser(1, ANA)])
    monkeypatch.setenv(KEY_VARIABLE, "another-key")
    with pytest.raises(CorpusError, match="not the one pseudonyms.json was made with") as refused:
        names(layout, [KnownUser(1, ANA)])
    assert "another-key" not in str(refused.value)


def test_without_a_key_the_first_pull_makes_one_outside_the_repository(layout, monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_VARIABLE)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    first = names(layout, [KnownUser(1, ANA)])
    assert key_file().stat().st_mode & 0o777 == 0o600 and tmp_path / "config" in key_file().parents
    assert names(layout, [KnownUser(3, ANA)])[3] == first[1]  # the same key file next time
    key_file().unlink()
    with pytest.raises(CorpusError, match=f"set {KEY_VARIABLE}"):  # the registry has pseudonyms: no new key
        names(layout, [KnownUser(1, ANA)])
    assert team_key() is None


def test_a_clash_of_the_short_form_takes_more_digits(layout):
    registry = Registry.load(layout)
    digest = PseudonymKey(b"the-team-key", "test").digest(ANA)
    registry.pseudonyms[f"annotator-{digest[:8]}"] = "0" * 64  # someone else holds the short form
    assert registry.pseudonym(digest) == f"annotator-{digest[:12]}"


def test_older_pseudonyms_stay_reserved(layout):
    folder = layout.labelstudio_exports / "whosaidwhat"
    folder.mkdir(parents=True)
    (folder / "pseudonyms.json").write_text(json.dumps({"1": "annotator-01"}))
    names(layout, [KnownUser(1, ANA)])
    registry = json.loads((layout.annotations / "pseudonyms.json").read_text())
    assert registry["pseudonyms"]["annotator-01"] is None and len(registry["pseudonyms"]) == 2


def test_a_user_the_server_no_longer_lists_gets_a_pseudonym_of_its_own(layout):
    pseudonyms, _ = team_pseudonyms(layout, [KnownUser(1, ANA)], Source("ls-11111111", "ls-11111111"))
    export = [{"id": 1, "annotations": [{"id": 1, "completed_by": 1}, {"id": 2, "completed_by": 99}]}]
    clean = pseudonymize(export, pseudonyms, [KnownUser(1, ANA)])
    a, b = (ann["completed_by"] for ann in clean[0]["annotations"])
    assert a != b and b.startswith("annotator-")


def test_a_member_removed_from_the_server_keeps_their_pseudonym(layout):
    """Label Studio lists a removed member with the e-mail "Deleted": they keep the pseudonym this
    source gave them, and two removed members never share one."""
    source = Source("ls-11111111", "ls-11111111")
    before, _ = team_pseudonyms(layout, [KnownUser(1, ANA), KnownUser(2, BO)], source)
    after, _ = team_pseudonyms(layout, [KnownUser(1, "Deleted"), KnownUser(2, "Deleted")], source, dict(before.mapping))
    assert after.mapping == before.mapping
    fresh, _ = team_pseudonyms(layout, [KnownUser(1, "Deleted"), KnownUser(2, "Deleted")], source)
    assert fresh.of(1) != fresh.of(2)


def test_an_annotation_of_a_deleted_user_keeps_a_pseudonym_of_its_own(layout):
    from whosaidwhat.labelstudio.client import _name_deleted_users
    pseudonyms, _ = team_pseudonyms(layout, [], Source("ls-11111111", "ls-11111111"))
    tasks = [{"annotations": [{"id": 4, "completed_by": None}, {"id": 5, "completed_by": None}]}]
    _name_deleted_users(tasks, pseudonyms)
    a, b = (x["completed_by"] for x in tasks[0]["annotations"])
    assert a != b and a.startswith("annotator-")


def test_a_lost_key_is_replaced_only_when_asked_and_earlier_pseudonyms_stay(layout, monkeypatch):
    first = names(layout, [KnownUser(1, ANA)])
    monkeypatch.setenv(KEY_VARIABLE, "the-new-key")
    pseudonyms, registry = team_pseudonyms(layout, [KnownUser(2, BO)], Source("ls-22222222", "ls-22222222"), new_key=True)
    registry.save()
    saved = json.loads((layout.annotations / "pseudonyms.json").read_text())
    assert len(saved["key_checks"]) == 2 and first[1] in saved["pseudonyms"]
    assert names(layout, [KnownUser(3, BO)])[3] == pseudonyms.of(2)  # the new key is now the team's
