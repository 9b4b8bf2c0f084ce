"""Replace annotator identities in a Label Studio export by stable pseudonyms, before anything is
written to disk.

Label Studio puts users in many places: ``completed_by`` and ``updated_by`` (an id, or a dict with
e-mail and names when expanded), drafts' ``user`` (an e-mail) and ``created_username`` ("First Last
email, id"), ``annotators``, ``comment_authors``, ``last_created_by``, ``reviewed_by`` ... Every user
id is mapped to a pseudonym (``labelstudio.team``: one per person, the same on every server). Any other string
holding a known e-mail or name, or anything shaped like an e-mail address, is redacted, so a field
Label Studio adds in a later version cannot leak either. Article content (task ``data`` and region
``result`` lists) is left as it is: it quotes the article, not the annotator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
USER_KEYS = {"completed_by", "updated_by", "last_created_by", "created_by", "reviewed_by", "user",
             "annotators", "comment_authors", "assignee", "owner", "user_id"}
NAME_KEYS = {"created_username", "email", "first_name", "last_name", "username"}
# Article content: the task's data and the regions' values quote the article, which may name an
# annotator's namesake or print an e-mail address; these are kept verbatim.
CONTENT_KEYS = {"data", "result"}
REDACTED = "[redacted]"


@dataclass
class Pseudonyms:
    """Label Studio user id (as a string) -> pseudonym, for one server; ``unknown`` names a user id
    the mapping lacks (by default the next ``annotator-NN``)."""

    mapping: dict[str, str] = field(default_factory=dict)
    unknown: Callable[[str], str] | None = None

    def of(self, user_id: int | str) -> str:
        key = str(user_id)
        if key not in self.mapping:
            self.mapping[key] = self.unknown(key) if self.unknown else f"annotator-{len(self.mapping) + 1:02d}"
        return self.mapping[key]


@dataclass(frozen=True)
class KnownUser:
    """A user of the server, as ``ls.users.list()`` gives it; used only to find and redact them."""

    id: int
    email: str | None = None
    names: tuple[str, ...] = ()


def _user_id(value: Any, by_email: dict[str, int]) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, dict):
        if "id" in value or "user_id" in value:
            return value.get("id", value.get("user_id"))
        if value.get("email") in by_email:
            return by_email[value["email"]]
    if isinstance(value, str):
        if value in by_email:
            return by_email[value]
        tail = re.search(r",\s*(\d+)\s*$", value)  # created_username: "First Last email, 3"
        if tail:
            return int(tail.group(1))
    return None


def pseudonymize(export: Any, pseudonyms: Pseudonyms, users: Iterable[KnownUser] = (), *,
                 drop: frozenset[str] = frozenset()) -> Any:
    """A copy of ``export`` with every user replaced by a pseudonym and every personal string
    redacted, and without the keys in ``drop`` (outside article content), in one walk."""
    users = list(users)
    by_email = {u.email: u.id for u in users if u.email}
    secrets = sorted({s for u in users for s in (u.email, *u.names) if s and len(s) > 1}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, secrets)), re.IGNORECASE) if secrets else None

    def scrub_string(text: str) -> str:
        text = EMAIL.sub(REDACTED, text)
        return pattern.sub(REDACTED, text) if pattern else text

    def user_value(value: Any) -> Any:
        if isinstance(value, list):
            return [user_value(v) for v in value]
        uid = _user_id(value, by_email)
        if uid is not None:
            return pseudonyms.of(uid)
        return None if value is None else REDACTED

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key in drop:
                    continue
                if key in CONTENT_KEYS:
                    out[key] = value
                elif key in USER_KEYS and value is not None:
                    out[key] = user_value(value)
                elif key in NAME_KEYS and isinstance(value, str):
                    uid = _user_id(value, by_email)
                    out[key] = pseudonyms.of(uid) if uid is not None else REDACTED
                else:
                    out[key] = walk(value)
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str):
            return scrub_string(node)
        return node

    return walk(export)
