"""Shared fixtures. ``small_repo`` is a copy of ``tests/fixtures/small_repo``: one short article
with gold entities, quotes and claims, valid as committed; tests break it on purpose.
``label_studio`` and ``label_studio_postgres`` are real Label Studio servers, on SQLite and on
PostgreSQL, started together once per session when the collected tests use them."""

from __future__ import annotations

import json
import os
import secrets
import shutil
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from whosaidwhat import Layout
from whosaidwhat.labelstudio.server import ServerSettings, free_port, start_server, stop_server

from . import postgres
from .postgres import PostgresCluster

FIXTURES = Path(__file__).parent / "fixtures"
REPO_ROOT = Path(__file__).resolve().parents[1]
LABEL_STUDIO_HOME = REPO_ROOT / ".labelstudio"  # its venv is reused; every server has its own data folder
SMALL_ARTICLE_ID = "wsw-e8a2c3319847e2e6"


@pytest.fixture(autouse=True)
def own_datasets_cache(tmp_path, monkeypatch):
    """A datasets cache per test. ``load_dataset`` names the cache of a local folder after the
    folder's name and its card's YAML only, so two test releases "0.1.0" with the same row counts
    and sizes would share one cache and the second would load the first one's rows."""
    import datasets
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "hf-datasets-cache")


@pytest.fixture(autouse=True)
def own_pseudonym_key_folder(tmp_path, monkeypatch):
    """No test reads or writes the team's pseudonym key of this machine: the key file lives in a
    config folder of the test's own, and a key from the environment is not used unless a test sets one."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("WHOSAIDWHAT_PSEUDONYM_KEY", raising=False)


@pytest.fixture
def small_repo(tmp_path: Path) -> Layout:
    shutil.copytree(FIXTURES / "small_repo", tmp_path / "repo")
    return Layout(tmp_path / "repo")


@pytest.fixture
def edit_records(small_repo: Layout):
    """Change the small repo's records file in place: ``edit(lambda data: ...)``."""
    path = small_repo.records_path(SMALL_ARTICLE_ID)

    def edit(change) -> Path:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return edit


@dataclass(frozen=True)
class LabelStudioServer:
    settings: ServerSettings
    url: str
    token: str


SERVERS = ("label_studio", "label_studio_postgres")  # the session's servers, by fixture name


class _SessionServers:
    """The session's real Label Studio servers, each started at most once, on 127.0.0.1 on a free
    port with a fresh data folder. Migrating a fresh database takes Label Studio most of a minute,
    so the first request for any of them starts, in background threads, every one that the
    collected tests use; each fixture then waits for its own. A server no collected test uses is
    never started. ``close`` stops the servers and the PostgreSQL cluster, however the session went."""

    def __init__(self, session: pytest.Session, tmp_path_factory: pytest.TempPathFactory):
        self._session, self._tmp = session, tmp_path_factory
        self._pool = ThreadPoolExecutor(max_workers=len(SERVERS), thread_name_prefix="labelstudio")
        self._starting: dict[str, tuple[ServerSettings, Future]] = {}
        self._ports: set[int] = set()
        self._clusters: list[PostgresCluster] = []

    def get(self, name: str) -> LabelStudioServer:
        if name not in self._starting:
            for each in sorted({name} | (set() if self._starting else self._used())):
                self._launch(each)
        _, starting = self._starting[name]
        settings = starting.result()  # with its database, for the server on PostgreSQL
        return LabelStudioServer(settings, settings.url, settings.token)

    def _used(self) -> set[str]:
        used = {fixture for item in self._session.items for fixture in item.fixturenames} & set(SERVERS)
        return used if postgres.binaries() else used - {"label_studio_postgres"}

    def _launch(self, name: str) -> None:
        settings = ServerSettings(home=LABEL_STUDIO_HOME, port=self._free_port(), username="admin@whosaidwhat.test",
                                  password=secrets.token_urlsafe(16), token=secrets.token_hex(20),
                                  data_dir=self._tmp.mktemp(f"{name}-data"))
        if name == "label_studio_postgres":
            future = self._pool.submit(self._start_on_postgres, settings, self._free_port())
        else:
            future = self._pool.submit(start_server, settings, timeout=600)
        self._starting[name] = (settings, future)

    def _start_on_postgres(self, settings: ServerSettings, port: int) -> ServerSettings:
        cluster = PostgresCluster.start(port)
        self._clusters.append(cluster)
        return start_server(replace(settings, database=cluster.database()), timeout=600)

    def _free_port(self) -> int:
        """A free port none of this session's servers was given (they may not listen yet)."""
        port = free_port()
        while port in self._ports:
            port = free_port()
        self._ports.add(port)
        return port

    def close(self) -> None:
        for settings, future in self._starting.values():
            stop_server(settings)  # one still migrating exits, so its start fails at once
            wait([future])
            stop_server(settings)  # one whose process began after the first stop
        self._pool.shutdown()
        for cluster in self._clusters:
            cluster.stop()


@pytest.fixture(scope="session")
def _label_studio_servers(request, tmp_path_factory):
    servers = _SessionServers(request.session, tmp_path_factory)
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture(scope="session")
def label_studio(_label_studio_servers) -> LabelStudioServer:
    """A real Label Studio server on SQLite, on 127.0.0.1, started once per test session on a fresh
    data dir (its venv is reused from .labelstudio/ when present) and stopped at the end."""
    return _label_studio_servers.get("label_studio")


@pytest.fixture(scope="session")
def label_studio_postgres(_label_studio_servers) -> LabelStudioServer:
    """The same on PostgreSQL (``settings.database``): a cluster of its own, made by the session in a
    temporary folder with Debian's postgresql (tests/postgres.py) and stopped at the end. Skipped
    where PostgreSQL is not installed, except in CI."""
    if postgres.binaries() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing: scripts/test installs Debian's postgresql package")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    return _label_studio_servers.get("label_studio_postgres")


@pytest.fixture
def ls_env(label_studio, monkeypatch) -> LabelStudioServer:
    """The client environment variables pointing at the session's server."""
    monkeypatch.setenv("LABEL_STUDIO_URL", label_studio.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", label_studio.token)
    return label_studio
