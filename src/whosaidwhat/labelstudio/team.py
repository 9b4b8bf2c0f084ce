"""One pseudonym per person, on every server and clone.

A person's pseudonym is ``annotator-`` and the first hex digits of a keyed digest (HMAC-SHA256) of
their e-mail address, so the same person gets the same pseudonym from any Label Studio server, and
nobody can go from a pseudonym (or anything else in the repository) back to an e-mail without the
key. The key is the team's secret and never enters git: ``$WHOSAIDWHAT_PSEUDONYM_KEY`` (the
environment or the repository's ignored ``.env``), else ``~/.config/whosaidwhat/pseudonym-key``
(made on the first pull of a repository that has no pseudonyms yet).

``annotations/pseudonyms.json`` (committed) lists every pseudonym given and the digest it stands
for, so two people never share one (a clash of the short form takes more digits), and a check value
of the key, so a pull with another key is refused instead of giving a second pseudonym to a person
who already has one. Pseudonyms given before this scheme (``annotator-01``) stay reserved.

>>> key = team_key(create=True)
>>> Registry.load(layout).pseudonym(key.digest("ana@example.org"))
'annotator-5c1f09d2'
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import CorpusError, UnusableInputError
from ..core.io import read_json, write_json
from ..core.layout import Layout

KEY_VARIABLE = "WHOSAIDWHAT_PSEUDONYM_KEY"
REGISTRY_NAME = "pseudonyms.json"
SHORT = (8, 12, 16, 64)  # hex digits of the digest in a pseudonym: the shortest not taken by someone else
_CHECK = b"whosaidwhat pseudonym key check"


def key_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "whosaidwhat" / "pseudonym-key"


@dataclass(frozen=True)
class PseudonymKey:
    """The team's key; ``where`` says where it was found (for messages). Never printed."""

    secret: bytes = field(repr=False)
    where: str

    def digest(self, email: str) -> str:
        return hmac.new(self.secret, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()

    def check(self) -> str:
        """A value that tells whether two keys are the same, and nothing about the key."""
        return hmac.new(self.secret, _CHECK, hashlib.sha256).hexdigest()[:16]


def team_key(*, create: bool = False) -> PseudonymKey | None:
    """The key from ``$WHOSAIDWHAT_PSEUDONYM_KEY`` or the key file; with ``create``, a new random
    key written to the key file (mode 0600) when there is none."""
    if os.environ.get(KEY_VARIABLE):
        return PseudonymKey(os.environ[KEY_VARIABLE].strip().encode("utf-8"), f"${KEY_VARIABLE}")
    path = key_file()
    if path.is_file():
        return PseudonymKey(path.read_bytes().strip(), str(path))
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")
    return PseudonymKey(path.read_bytes().strip(), f"{path} (new)")


@dataclass
class Registry:
    """``annotations/pseudonyms.json``: pseudonym -> the digest it stands for (None: given before
    digests, reserved), and the key's check value."""

    path: Path
    key_checks: list[str] = field(default_factory=list)  # one per key generation, oldest first
    pseudonyms: dict[str, str | None] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def load(cls, layout: Layout) -> "Registry":
        path = layout.annotations / REGISTRY_NAME
        if not path.exists():
            return cls(path)
        data = read_json(path)
        names = data.get("pseudonyms") if isinstance(data, dict) else None
        checks = data.get("key_checks") if isinstance(data, dict) else None
        if not isinstance(names, dict) or not isinstance(checks, list) or not all(isinstance(c, str) for c in checks) or not all(
                isinstance(v, (str, type(None))) for v in names.values()):
            raise UnusableInputError(path, "must hold key_checks and pseudonyms (pseudonym -> digest or null)")
        return cls(path, list(checks), dict(names))

    @property
    def key_check(self) -> str | None:
        """The current key generation's check value (None: no pseudonym was given with a key yet)."""
        return self.key_checks[-1] if self.key_checks else None

    def accept(self, key: PseudonymKey, *, new_key: bool = False) -> None:
        """Refuse a key other than the current one the registry's pseudonyms were made with, unless
        ``new_key`` starts a new key generation (the team lost its key): pseudonyms given so far
        stay, but a person who already has one gets another under the new key."""
        if key.check() == self.key_check:
            return
        if self.key_check is None or new_key:
            self.key_checks.append(key.check())
            self.changed = True
            return
        raise CorpusError(f"the pseudonym key from {key.where} is not the one {self.path.name} was made with, so the "
                          f"same person would get another pseudonym; set {KEY_VARIABLE} to the team's key (ask whoever "
                          "pulled first; it is never in git), or, if the team's key is lost, pull with --new-key")

    def pseudonym(self, digest: str) -> str:
        """The pseudonym of the person with this digest, given now if they have none."""
        for name, known in self.pseudonyms.items():
            if known == digest:
                return name
        for length in SHORT:
            name = f"annotator-{digest[:length]}"
            if name not in self.pseudonyms:
                self.pseudonyms[name], self.changed = digest, True
                return name
        raise CorpusError(f"{self.path}: every form of a pseudonym for one digest is taken")  # a 256-bit clash

    def save(self) -> None:
        if self.changed:
            write_json(self.path, {
                "description": "Pseudonyms of annotators: each is a keyed digest (HMAC-SHA256) of a person's e-mail "
                               "address; the key is the team's and never in git. See docs/safety.md, Pseudonyms.",
                "key_checks": self.key_checks, "pseudonyms": dict(sorted(self.pseudonyms.items()))}, overwrite=True)
            self.changed = False


def reserve_legacy(registry: Registry, mapping) -> None:
    """Keep every pseudonym a source's own mapping (user id -> pseudonym) gave reserved: those given
    before digests (``annotator-01``), and those of people the server no longer lists."""
    if not isinstance(mapping, dict):
        return
    for name in mapping.values():
        if name not in registry.pseudonyms:
            registry.pseudonyms[name], registry.changed = None, True
