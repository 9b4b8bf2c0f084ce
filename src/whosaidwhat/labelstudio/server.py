"""The Label Studio server the project runs for its annotators and its tests.

Label Studio lives in its own virtual environment (``.labelstudio/venv``): its pins are heavy and must
not constrain the package's. ``start_server`` installs it when missing, starts it bound to 127.0.0.1
with a preset admin and API token read from the environment, telemetry, version checks and open
sign-up off, waits for ``/health`` and records the process id; ``stop_server`` stops it by that id.
Its database is the SQLite file in its data folder, or the PostgreSQL database of
``ServerSettings.database`` (``PostgresDatabase``, from Label Studio's own ``DJANGO_DB`` and
``POSTGRE_*`` variables), for a team.

>>> server = start_server(ServerSettings.from_env(Layout.find()))
>>> server.url
'http://127.0.0.1:8080'
>>> stop_server(server.settings)
"""

from __future__ import annotations

from collections.abc import Callable

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import CorpusError
from ..core.layout import Layout

LABEL_STUDIO_VERSION = "1.23.2"
CREDENTIAL_VARIABLES = ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN")
_POSTGRES_SELECTORS = ("default", "postgresql")  # the DJANGO_DB values that mean PostgreSQL to Label Studio
# Never passed on from the caller's environment: Label Studio's own settings (it reads each NAME also as
# LABEL_STUDIO_NAME and HEARTEX_NAME) and whatever chooses its database, which ServerSettings alone sets.
_NOT_INHERITED = ("LABEL_STUDIO_", "HEARTEX_", "DJANGO_", "POSTGRE_", "MYSQL_", "DATABASE_NAME")


@dataclass(frozen=True)
class PostgresDatabase:
    """A PostgreSQL database Label Studio keeps everything in instead of its SQLite file: for a
    server several annotators share. Label Studio creates its tables on the first start; the
    database and its owner must exist. The password never appears in a repr or a message."""

    name: str
    user: str
    password: str = field(default="", repr=False)
    host: str = "localhost"
    port: int = 5432

    def __str__(self) -> str:
        return f"PostgreSQL database {self.name!r} of user {self.user!r} at {self.host}:{self.port}"

    @classmethod
    def from_env(cls) -> "PostgresDatabase | None":
        """The database Label Studio's own variables name: ``DJANGO_DB=default`` (or ``postgresql``)
        with ``POSTGRE_NAME``, ``POSTGRE_USER``, ``POSTGRE_PASSWORD`` (empty for trust or peer
        authentication), ``POSTGRE_HOST`` (default localhost; a path is the folder of a unix socket)
        and ``POSTGRE_PORT`` (default 5432). None when ``DJANGO_DB`` is unset or ``sqlite``."""
        selector = os.environ.get("DJANGO_DB", "sqlite")
        if selector in ("", "sqlite"):
            return None
        if selector not in _POSTGRES_SELECTORS:
            raise CorpusError(f"DJANGO_DB={selector} is not supported: set DJANGO_DB=default for PostgreSQL, "
                              "or unset it for SQLite")
        missing = [name for name in ("POSTGRE_NAME", "POSTGRE_USER") if not os.environ.get(name)]
        if "POSTGRE_PASSWORD" not in os.environ:  # set but empty is fine: trust or peer authentication
            missing.append("POSTGRE_PASSWORD")
        if missing:
            raise CorpusError(f"DJANGO_DB={selector} means PostgreSQL: set {', '.join(missing)} in the environment")
        port = os.environ.get("POSTGRE_PORT") or "5432"
        if not port.isdigit():
            raise CorpusError(f"POSTGRE_PORT must be a port number, not {port!r}")
        return cls(name=os.environ["POSTGRE_NAME"], user=os.environ["POSTGRE_USER"],
                   password=os.environ["POSTGRE_PASSWORD"], host=os.environ.get("POSTGRE_HOST") or "localhost",
                   port=int(port))

    def environment(self) -> dict[str, str]:
        """The variables that point Label Studio at this database."""
        return {"DJANGO_DB": "default", "POSTGRE_NAME": self.name, "POSTGRE_USER": self.user,
                "POSTGRE_PASSWORD": self.password, "POSTGRE_HOST": self.host, "POSTGRE_PORT": str(self.port)}


@dataclass(frozen=True)
class ServerSettings:
    """Where the server lives and how it is reached. ``home`` holds its venv, data, log and pid;
    ``database`` is None for the SQLite file in the data folder. Password and token stay out of
    the repr."""

    home: Path
    port: int = 8080
    username: str = ""
    password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)
    data_dir: Path | None = None
    database: PostgresDatabase | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def venv(self) -> Path:
        return self.home / "venv"

    @property
    def data(self) -> Path:
        return self.data_dir or self.home / "data"

    @property
    def pid_file(self) -> Path:
        """Kept in the data folder, so two servers with their own data never share one."""
        return self.data / "whosaidwhat-server.pid"

    @property
    def log_file(self) -> Path:
        return self.data / "server.log"

    @property
    def sqlite_file(self) -> Path:
        """Where Label Studio keeps its SQLite database (unused with a PostgreSQL ``database``)."""
        return self.data / "label_studio.sqlite3"

    def describe_database(self) -> str:
        """The database in words, for messages: never the password."""
        return str(self.database) if self.database else f"SQLite database {self.sqlite_file}"

    @classmethod
    def located(cls, layout: Layout, port: int | None = None) -> "ServerSettings":
        """Where the server lives, without credentials or database: all that stopping it needs. Home
        ``.labelstudio/`` in the repository (ignored by git) or ``$WHOSAIDWHAT_LABEL_STUDIO_HOME``; the
        port from ``LABEL_STUDIO_PORT`` (default 8080); the data folder from Label Studio's own
        ``LABEL_STUDIO_BASE_DATA_DIR`` (default: ``data/`` in the home)."""
        home = Path(os.environ.get("WHOSAIDWHAT_LABEL_STUDIO_HOME") or layout.root / ".labelstudio")
        data = os.environ.get("LABEL_STUDIO_BASE_DATA_DIR")
        return cls(home=home, port=port or int(os.environ.get("LABEL_STUDIO_PORT", "8080")),
                   data_dir=Path(data) if data else None)

    @classmethod
    def from_env(cls, layout: Layout, port: int | None = None) -> "ServerSettings":
        """Credentials from ``LABEL_STUDIO_USERNAME``, ``_PASSWORD`` and ``_USER_TOKEN``; the port
        from ``LABEL_STUDIO_PORT`` (default 8080); home ``.labelstudio/`` in the repository
        (ignored by git) or ``$WHOSAIDWHAT_LABEL_STUDIO_HOME``; the database from ``DJANGO_DB`` and
        ``POSTGRE_*`` (``PostgresDatabase.from_env``), SQLite when ``DJANGO_DB`` is unset."""
        missing = [name for name in CREDENTIAL_VARIABLES if not os.environ.get(name)]
        if missing:
            raise CorpusError(f"set {', '.join(missing)} in the environment to start Label Studio")
        token = os.environ["LABEL_STUDIO_USER_TOKEN"]
        if len(token) < 20:
            raise CorpusError("LABEL_STUDIO_USER_TOKEN must be at least 20 characters (40 hex digits are usual)")
        database = PostgresDatabase.from_env()
        where = cls.located(layout, port)
        return cls(home=where.home, port=where.port, username=os.environ["LABEL_STUDIO_USERNAME"],
                   password=os.environ["LABEL_STUDIO_PASSWORD"], token=token, data_dir=where.data_dir,
                   database=database)


def _uv() -> str | None:
    here = Path(sys.executable).parent / "uv"
    return str(here) if here.exists() else shutil.which("uv")


def install_label_studio(settings: ServerSettings, version: str = LABEL_STUDIO_VERSION) -> Path:
    """Create the server's own venv with ``label-studio==version`` unless it is already there. Two
    servers started at once from one home install it once: the second waits for the first. Label
    Studio depends on ``psycopg[binary]``, so the venv can use a PostgreSQL database as it is."""
    executable = settings.venv / "bin" / "label-studio"
    marker = settings.venv / f".label-studio-{version}"
    if executable.exists() and marker.exists():
        return executable
    settings.home.mkdir(parents=True, exist_ok=True)
    with open(settings.home / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed
        if not (executable.exists() and marker.exists()):
            _install(settings, version)
    return executable


def _install(settings: ServerSettings, version: str) -> None:
    uv = _uv()
    if uv:
        commands = [[uv, "venv", "--quiet", "--allow-existing", "--python", sys.executable, str(settings.venv)],
                    [uv, "pip", "install", "--quiet", "--python", str(settings.venv / "bin" / "python"),
                     f"label-studio=={version}"]]
    else:
        commands = [[sys.executable, "-m", "venv", str(settings.venv)],
                    [str(settings.venv / "bin" / "pip"), "install", "--quiet", f"label-studio=={version}"]]
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise CorpusError(f"installing Label Studio {version} failed: {done.stderr.strip()[-500:]}")
    (settings.venv / f".label-studio-{version}").touch()


def server_environment(settings: ServerSettings) -> dict[str, str]:
    """The variables Label Studio starts with: the caller's environment without Label Studio's own
    settings, then the server's. The legacy token flag must be set when the database is first
    created, or the preset token is refused with 401. The database is ``settings.database`` or
    SQLite in the data folder, whatever the caller's ``DJANGO_DB`` and ``POSTGRE_*`` say."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_NOT_INHERITED)}
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(settings.data),
        "LABEL_STUDIO_USERNAME": settings.username,
        "LABEL_STUDIO_PASSWORD": settings.password,
        "LABEL_STUDIO_USER_TOKEN": settings.token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
        "LATEST_VERSION_CHECK": "false",
    })
    env.update(settings.database.environment() if settings.database else {"DJANGO_DB": "sqlite"})
    return env


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _database_answers(database: PostgresDatabase, timeout: float = 5.0) -> bool:
    """Whether something listens where the database is: a TCP port, or a unix socket when the host is
    a folder (as libpq reads it)."""
    try:
        if database.host.startswith("/"):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                s.settimeout(timeout)
                s.connect(f"{database.host}/.s.PGSQL.{database.port}")
        else:
            with socket.create_connection((database.host, database.port), timeout=timeout):
                pass
        return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return json.loads(response.read()).get("status") == "UP"
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _running_pid(settings: ServerSettings) -> int | None:
    try:
        pid = int(settings.pid_file.read_text())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


REPORT_EVERY = 10.0  # seconds between "still starting" lines


def start_server(settings: ServerSettings, *, timeout: float = 240.0,
                 report: Callable[[str], None] | None = None) -> ServerSettings:
    """Install if needed, start, and wait until ``/health`` answers. A server already running from
    this home on this port is reused. A busy port is an error (Label Studio itself would silently
    move to the next one). ``report`` is told what is happening while it takes long (the command
    line prints it): installing, starting, and every ten seconds of waiting."""
    report = report or (lambda message: None)
    if _running_pid(settings) and is_healthy(settings.url):
        return settings
    if not _port_is_free(settings.port):
        raise CorpusError(f"port {settings.port} on 127.0.0.1 is in use; set LABEL_STUDIO_PORT to a free one")
    if settings.database and not _database_answers(settings.database):
        raise CorpusError(f"{settings.database} does not answer: start PostgreSQL there, "
                          "or set POSTGRE_HOST and POSTGRE_PORT to where it runs")
    if not ((settings.venv / "bin" / "label-studio").exists() and (settings.venv / f".label-studio-{LABEL_STUDIO_VERSION}").exists()):
        report(f"installing Label Studio {LABEL_STUDIO_VERSION} into {settings.venv} (first time only, about a minute)")
    executable = install_label_studio(settings)
    fresh = not any(settings.data.glob("*")) if settings.data.exists() else True
    report(f"starting Label Studio on {settings.url}" + (" (a new data folder: about 40 s to set up its database)"
                                                          if fresh else ""))
    settings.data.mkdir(parents=True, exist_ok=True)
    with open(settings.log_file, "ab") as log:
        process = subprocess.Popen(
            [str(executable), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(settings.port)],
            env=server_environment(settings), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
    settings.pid_file.write_text(str(process.pid))
    deadline = time.monotonic() + timeout
    next_report = REPORT_EVERY
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CorpusError(f"Label Studio on the {settings.describe_database()} exited with status "
                              f"{process.returncode}; see {settings.log_file}")
        if is_healthy(settings.url):
            return settings
        waited = timeout - (deadline - time.monotonic())
        if waited >= next_report:
            report(f"still starting ({waited:.0f} s)")
            next_report += REPORT_EVERY
        time.sleep(1.0)
    stop_server(settings)
    raise CorpusError(f"Label Studio did not answer {settings.url}/health within {timeout:.0f} s; see {settings.log_file}")


def stop_server(settings: ServerSettings, *, timeout: float = 30.0) -> bool:
    """Stop the server started from ``settings.home`` by its process id (the whole process group:
    the dev server runs a child). Returns whether a server was running."""
    pid = _running_pid(settings)
    settings.pid_file.unlink(missing_ok=True)
    if pid is None:
        return False
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return True
            except ChildProcessError:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return True
            time.sleep(0.2)
    return True
