import json

from whosaidwhat.labelstudio.pseudonymize import KnownUser, Pseudonyms, pseudonymize

EXPORT = [{
    "id": 1,
    "data": {"text": "Press contact: desk@news.example.com. Anna Kelly said so.", "article_id": "wsw-0"},
    "annotations": [
        {"id": 1, "completed_by": {"id": 7, "email": "anna.k@lab.example.org", "first_name": "Anna", "last_name": "Kowalska"},
         "updated_by": 7, "result": [{"value": {"text": "Anna Kelly"}}], "last_created_by": None},
        {"id": 2, "completed_by": 9, "updated_by": 7},
    ],
    "drafts": [{"id": 1, "user": "bo@lab.example.org", "created_username": "Bo Berg bo@lab.example.org, 9"}],
    "updated_by": [{"user_id": 7}],
    "annotators": [7, 9],
    "meta": {"note": "checked by Kowalska (anna.k@lab.example.org)", "reviewer_email": "x@y.example.net"},
}]
USERS = [KnownUser(7, "anna.k@lab.example.org", ("Anna", "Kowalska")), KnownUser(9, "bo@lab.example.org", ("Bo", "Berg"))]


def test_every_user_becomes_a_stable_pseudonym_and_no_email_or_name_remains():
    pseudonyms = Pseudonyms()
    clean = pseudonymize(EXPORT, pseudonyms, USERS)
    outside_content = json.dumps([{**t, "data": None, "annotations": [{**a, "result": None} for a in t["annotations"]]}
                                  for t in clean])
    for secret in ("anna.k@", "bo@lab", "Anna", "Kowalska", "Berg", "x@y.example.net", "@"):
        assert secret not in outside_content
    task = clean[0]
    assert [a["completed_by"] for a in task["annotations"]] == ["annotator-01", "annotator-02"]
    assert task["annotations"][0]["updated_by"] == "annotator-01"
    assert task["drafts"][0]["user"] == "annotator-02" and task["drafts"][0]["created_username"] == "annotator-02"
    assert task["updated_by"] == ["annotator-01"] and task["annotators"] == ["annotator-01", "annotator-02"]
    assert task["meta"]["note"] == "checked by [redacted] ([redacted])"
    assert pseudonyms.mapping == {"7": "annotator-01", "9": "annotator-02"}


def test_article_content_is_kept_even_when_it_looks_personal():
    clean = pseudonymize(EXPORT, Pseudonyms(), USERS)
    assert clean[0]["data"] == EXPORT[0]["data"]
    assert clean[0]["annotations"][0]["result"] == [{"value": {"text": "Anna Kelly"}}]


def test_pseudonyms_persist_between_pulls():
    pseudonyms = Pseudonyms({"9": "annotator-01"})
    clean = pseudonymize(EXPORT, pseudonyms, USERS)
    assert [a["completed_by"] for a in clean[0]["annotations"]] == ["annotator-02", "annotator-01"]
