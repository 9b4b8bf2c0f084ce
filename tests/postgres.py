"""A throwaway PostgreSQL cluster for the test session, from the PostgreSQL binaries on PATH or
Debian's ``postgresql`` package (``/usr/lib/postgresql/<version>/bin``).

``PostgresCluster.start(port)`` creates a cluster with initdb in a fresh temporary folder and
starts it listening on 127.0.0.1:port only, with password (SCRAM) authentication there and its unix
socket in the folder (trust: only the folder's owner and root can reach it, for the tests' own
``psql``). Durability is off (fsync, full-page writes): the cluster lives for one session.
``stop()`` runs ``pg_ctl stop -m fast`` and removes the folder.

initdb and postgres refuse to run as root. As root the cluster belongs to the ``postgres`` user that
the Debian package creates (else to ``nobody``), and its folder is made in the system's temporary
folder, which that user can reach (pytest's own are root-only), and handed over to it.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from whosaidwhat.labelstudio.server import PostgresDatabase

SUPERUSER = "postgres"
CONFIG = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket}'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
"""
HBA = """\
local all all trust
host all all 127.0.0.1/32 scram-sha-256
"""


def binaries() -> Path | None:
    """The folder holding initdb, pg_ctl and psql: initdb's on PATH, else the newest Debian one."""
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                    key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    return debian[-1].parent if debian else None


def _unprivileged_user() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and there is neither a postgres nor a nobody user to run PostgreSQL as")


class PostgresCluster:
    """A running cluster: ``database(...)`` creates a database for Label Studio, ``psql(sql)`` queries
    as the superuser, ``stop()`` ends it."""

    def __init__(self, folder: Path, port: int, bin: Path, owner: pwd.struct_passwd | None):
        self.folder, self.port, self.bin, self.owner = folder, port, bin, owner

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log_file(self) -> Path:
        return self.folder / "postgres.log"

    @classmethod
    def start(cls, port: int) -> "PostgresCluster":
        bin = binaries()
        if bin is None:
            raise RuntimeError("PostgreSQL's initdb is not installed (apt-get install postgresql)")
        owner = _unprivileged_user() if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="whosaidwhat-postgres-"))
        if owner:
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        cluster = cls(folder, port, bin, owner)
        try:
            cluster._as_owner("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "--encoding=UTF8", "--no-locale",
                              "--auth=trust", "--no-sync")
            with open(cluster.data / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.write(CONFIG.format(port=port, socket=folder))
            (cluster.data / "pg_hba.conf").write_text(HBA, encoding="utf-8")
            cluster._as_owner("pg_ctl", "start", "-D", str(cluster.data), "-l", str(cluster.log_file), "-w", "-t", "60")
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def database(self, name: str = "labelstudio", user: str = "labelstudio") -> PostgresDatabase:
        """A new database owned by a new role with a random password, reached over TCP."""
        password = secrets.token_urlsafe(24)
        self.psql(f"CREATE ROLE {user} LOGIN PASSWORD '{password}'")
        self.psql(f"CREATE DATABASE {name} OWNER {user}")
        return PostgresDatabase(name=name, user=user, password=password, host="127.0.0.1", port=self.port)

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` (given on stdin, so never on a command line) as the superuser over the unix
        socket; the rows as psql's unaligned output."""
        done = subprocess.run([str(self.bin / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                               "-h", str(self.folder), "-p", str(self.port), "-U", SUPERUSER, "-d", database],
                              input=sql, capture_output=True, text=True, env=self._environment(), timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout

    def stop(self) -> None:
        """``pg_ctl stop -m fast`` if it runs, then remove the folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._as_owner("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "60")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        return {**env, "LC_ALL": "C", "HOME": str(self.folder)}

    def _as_owner(self, program: str, *args: str) -> None:
        owner = {"user": self.owner.pw_uid, "group": self.owner.pw_gid, "extra_groups": []} if self.owner else {}
        done = subprocess.run([str(self.bin / program), *args], cwd=self.folder, env=self._environment(),
                              capture_output=True, text=True, timeout=120, **owner)
        if done.returncode != 0:
            log = self.log_file.read_text(errors="replace")[-2000:] if self.log_file.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()[-2000:]}\n{log}")


def query(database: PostgresDatabase, sql: str) -> list[str]:
    """The rows of ``sql`` (one line each, columns joined by ``|``), read as Label Studio reads its
    database: over TCP with the database's own user and password."""
    bin = binaries()
    assert bin is not None, "PostgreSQL's psql is not installed"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    done = subprocess.run([str(bin / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", database.host,
                           "-p", str(database.port), "-U", database.user, "-d", database.name],
                          input=sql, capture_output=True, text=True, env={**env, "PGPASSWORD": database.password},
                          timeout=60)
    if done.returncode != 0:
        raise RuntimeError(f"psql on {database} failed: {done.stderr.strip()}")
    return done.stdout.splitlines()
