"""The session's two real Label Studio servers: ``label_studio_postgres`` keeps everything in its
PostgreSQL database, ``label_studio`` in the SQLite file of its data folder, and both run at once.
The database password reaches Label Studio and nothing else."""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import replace

import pytest

from whosaidwhat import Layout
from whosaidwhat.core.errors import CorpusError
from whosaidwhat.labelstudio.client import client
from whosaidwhat.labelstudio.server import (PostgresDatabase, ServerSettings, free_port, is_healthy, server_environment,
                                            start_server)

from .postgres import query

PASSWORD = "pg-Secret-" + "7" * 16
DATABASE = PostgresDatabase(name="labelstudio", user="annotators", password=PASSWORD, host="127.0.0.1", port=5432)


def _sqlite_titles(path) -> set[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return {title for (title,) in db.execute("select title from project")}


@pytest.mark.labelstudio
def test_one_server_keeps_its_projects_in_postgresql_the_other_in_its_sqlite_file(label_studio, label_studio_postgres):
    on_postgres, on_sqlite = label_studio_postgres, label_studio
    assert on_postgres.url != on_sqlite.url
    assert is_healthy(on_postgres.url) and is_healthy(on_sqlite.url)  # both answer at once
    database = on_postgres.settings.database
    assert database is not None and on_sqlite.settings.database is None
    assert server_environment(on_postgres.settings)["DJANGO_DB"] == "default"
    assert server_environment(on_sqlite.settings)["DJANGO_DB"] == "sqlite"

    a, b = f"on-postgres-{secrets.token_hex(4)}", f"on-sqlite-{secrets.token_hex(4)}"
    client(on_postgres.url, on_postgres.token).projects.create(title=a)
    client(on_sqlite.url, on_sqlite.token).projects.create(title=b)

    in_postgres = set(query(database, "select title from project"))
    assert a in in_postgres and b not in in_postgres
    assert not on_postgres.settings.sqlite_file.exists()  # Label Studio made no SQLite database beside it
    in_sqlite = _sqlite_titles(on_sqlite.settings.sqlite_file)
    assert b in in_sqlite and a not in in_sqlite
    assert {p.title for p in client(on_postgres.url, on_postgres.token).projects.list()} >= {a}
    assert b not in {p.title for p in client(on_postgres.url, on_postgres.token).projects.list()}
    assert a not in {p.title for p in client(on_sqlite.url, on_sqlite.token).projects.list()}


@pytest.mark.labelstudio
def test_a_wrong_database_password_stops_the_start_with_a_message_that_does_not_hold_it(label_studio_postgres, tmp_path):
    """PostgreSQL really checks the password Label Studio is given, and neither the error nor the
    log of the failed start shows it; nor does the running server's log show the right one."""
    right = label_studio_postgres.settings.database
    wrong = replace(right, password="wrong-" + secrets.token_hex(12))
    settings = replace(label_studio_postgres.settings, port=free_port(), data_dir=tmp_path / "data", database=wrong)
    with pytest.raises(CorpusError) as failed:
        start_server(settings, timeout=300)
    message = str(failed.value)
    assert f"Label Studio on the PostgreSQL database 'labelstudio' of user 'labelstudio' at 127.0.0.1:{right.port}" in message
    log = settings.log_file.read_text(encoding="utf-8", errors="replace")
    assert 'password authentication failed for user "labelstudio"' in log
    assert wrong.password not in message + log and right.password not in message + log
    running_log = label_studio_postgres.settings.log_file.read_text(encoding="utf-8", errors="replace")
    assert running_log and right.password not in running_log


def test_the_database_password_is_in_no_repr_message_or_variable_but_its_own(tmp_path):
    settings = ServerSettings(home=tmp_path, port=free_port(), username="lead@lab.example", password="admin-Secret-x",
                              token="f" * 40, data_dir=tmp_path / "data", database=replace(DATABASE, port=free_port()))
    for text in (repr(settings), str(settings), repr(settings.database), str(settings.database),
                 settings.describe_database()):
        assert PASSWORD not in text and "admin-Secret-x" not in text and "f" * 40 not in text
    assert "annotators" in settings.describe_database() and "127.0.0.1" in settings.describe_database()
    environment = server_environment(settings)
    assert [name for name, value in environment.items() if PASSWORD in value] == ["POSTGRE_PASSWORD"]
    with pytest.raises(CorpusError, match="does not answer") as failed:  # nothing listens on that port
        start_server(settings)
    assert PASSWORD not in str(failed.value) and "127.0.0.1" in str(failed.value)


def test_the_readmes_variables_name_the_database(monkeypatch, tmp_path):
    for name, value in {"LABEL_STUDIO_USERNAME": "lead@lab.example", "LABEL_STUDIO_PASSWORD": "admin password",
                        "LABEL_STUDIO_USER_TOKEN": "a" * 40, "DJANGO_DB": "default", "POSTGRE_NAME": "labelstudio",
                        "POSTGRE_USER": "annotators", "POSTGRE_PASSWORD": PASSWORD, "POSTGRE_HOST": "db.internal",
                        "POSTGRE_PORT": "6543"}.items():
        monkeypatch.setenv(name, value)
    settings = ServerSettings.from_env(Layout(tmp_path))
    assert settings.database == PostgresDatabase("labelstudio", "annotators", PASSWORD, "db.internal", 6543)
    environment = server_environment(settings)
    assert {k: environment[k] for k in settings.database.environment()} == {
        "DJANGO_DB": "default", "POSTGRE_NAME": "labelstudio", "POSTGRE_USER": "annotators",
        "POSTGRE_PASSWORD": PASSWORD, "POSTGRE_HOST": "db.internal", "POSTGRE_PORT": "6543"}

    monkeypatch.setenv("POSTGRE_PORT", "x5432")
    with pytest.raises(CorpusError, match="POSTGRE_PORT must be a port number, not 'x5432'") as failed:
        ServerSettings.from_env(Layout(tmp_path))
    assert PASSWORD not in str(failed.value)
    monkeypatch.delenv("POSTGRE_USER")
    monkeypatch.delenv("POSTGRE_PASSWORD")
    with pytest.raises(CorpusError, match="DJANGO_DB=default means PostgreSQL: set POSTGRE_USER, POSTGRE_PASSWORD"):
        ServerSettings.from_env(Layout(tmp_path))
    monkeypatch.setenv("DJANGO_DB", "mysql")
    with pytest.raises(CorpusError, match="DJANGO_DB=mysql is not supported"):
        ServerSettings.from_env(Layout(tmp_path))


def test_a_sqlite_server_ignores_the_callers_database_variables(monkeypatch, tmp_path):
    """Without a ``database`` the server is on SQLite, whatever DJANGO_DB or POSTGRE_* (or Label
    Studio's LABEL_STUDIO_ and HEARTEX_ spellings of them) the caller has set."""
    for name in ("DJANGO_DB", "LABEL_STUDIO_DJANGO_DB", "HEARTEX_DJANGO_DB"):
        monkeypatch.setenv(name, "default")
    for name in ("POSTGRE_PASSWORD", "HEARTEX_POSTGRE_PASSWORD", "DATABASE_NAME"):
        monkeypatch.setenv(name, PASSWORD)
    environment = server_environment(ServerSettings(home=tmp_path))
    assert environment["DJANGO_DB"] == "sqlite"
    assert not [name for name, value in environment.items() if "DJANGO_DB" in name and name != "DJANGO_DB"]
    assert PASSWORD not in " ".join(environment.values())
