"""Label Studio, client side: ``push`` the corpus as tasks with pre-annotations, ``pull`` raw
exports into ``annotations/labelstudio/<project>/``.

The client reads ``LABEL_STUDIO_URL`` and ``LABEL_STUDIO_API_KEY`` (the SDK's own names). Nothing
here prints or stores the key; exports are pseudonymised before they touch the disk.

>>> ls = client()
>>> push(Layout.find(), ls=ls).added
1
>>> pull(Layout.find(), ls=ls).path
PosixPath('annotations/labelstudio/whosaidwhat/export-20261125T120000Z.json')
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError
from label_studio_sdk.label_interface import LabelInterface

from ..core.errors import CorpusError, UnusableInputError
from ..core.io import dumps_lines, read_json, write_json, write_text
from .config import label_config, project_settings
from ..core.layout import Layout
from ..core.locks import exclusive
from ..core.progress import progress
from ..preannotate import DEFAULT_MODEL
from .predictions import predictions_for
from .pseudonymize import EMAIL, KnownUser, Pseudonyms, pseudonymize
from .sources import Source, find_folder, write_source
from .team import KEY_VARIABLE, Registry, reserve_legacy, team_key
from ..core.records import iter_articles

DEFAULT_PROJECT = "whosaidwhat"
IMPORT_BATCH = 100
ANNOTATORS_PER_TASK = 2  # independent annotations of each article, for agreement and adjudication
# Predictions carry their results only when asked; completed_by stays a user id (no e-mail).
SERIALIZATION = {"predictions": {"only_id": False}}


def client(url: str | None = None, api_key: str | None = None) -> LabelStudio:
    """An SDK client from the arguments or ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY`` (from the
    environment, or the repository's git-ignored ``.env``). Without them, the server that
    ``labelstudio start`` runs here: 127.0.0.1 on ``LABEL_STUDIO_PORT`` (default 8080), reached with
    the ``LABEL_STUDIO_USER_TOKEN`` it was started with, so the lead's start-then-push works as written."""
    url = url or os.environ.get("LABEL_STUDIO_URL") or f"http://127.0.0.1:{os.environ.get('LABEL_STUDIO_PORT') or 8080}"
    api_key = api_key or os.environ.get("LABEL_STUDIO_API_KEY") or os.environ.get("LABEL_STUDIO_USER_TOKEN")
    if not api_key:
        raise CorpusError("set LABEL_STUDIO_API_KEY (your Label Studio access token; in the environment or .env), "
                          "and LABEL_STUDIO_URL if the server is not this machine's, to reach Label Studio")
    return LabelStudio(base_url=url, api_key=api_key, timeout=120)


@contextmanager
def talking_to(ls: LabelStudio) -> Iterator[None]:
    """Turn what can go wrong on the wire into one clear line that says what to do; never a
    traceback, and never the key."""
    url = ls._client_wrapper.get_base_url()
    try:
        yield
    except (httpx.ConnectError, httpx.ConnectTimeout) as e:
        raise CorpusError(f"cannot reach Label Studio at {url} ({type(e).__name__}); is it running? "
                          "Start it with `whosaidwhat labelstudio start`, or set LABEL_STUDIO_URL") from None
    except ApiError as e:
        if e.status_code in (401, 403):
            raise CorpusError(f"Label Studio at {url} refused the API key ({e.status_code}); set LABEL_STUDIO_API_KEY "
                              "to the access token of a user of this server (Account & Settings)") from None
        detail = e.body.get("detail") if isinstance(e.body, dict) else None
        raise CorpusError(f"Label Studio at {url} answered {e.status_code}: {detail or 'see its log'}") from None


def project_slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "project"


def project_fields() -> dict:
    """Every project field push keeps as the package says: the labeling page (config, instructions)
    and ``maximum_annotations``, so that each task is served to ``ANNOTATORS_PER_TASK`` people (the
    open-source server serves a task to a next annotator while it has fewer annotations than this)."""
    return {**project_settings(), "maximum_annotations": ANNOTATORS_PER_TASK}


def ensure_project(ls: LabelStudio, title: str = DEFAULT_PROJECT):
    """The project with exactly this title (the API's title filter matches substrings), created
    with the package's fields if missing, the fields that differ updated otherwise."""
    fields = project_fields()
    project = next((p for p in ls.projects.list(title=title) if p.title == title), None)
    if project is None:
        return ls.projects.create(title=title, **fields)
    changed = {name: value for name, value in fields.items()
               if (getattr(project, name, None) or "") != value and not (
                   isinstance(value, str) and (getattr(project, name, None) or "").strip() == value.strip())}
    if changed:
        project = ls.projects.update(id=project.id, **changed)
    return project


def task_for(article: dict, interface: LabelInterface, prediction: dict | None = None) -> dict:
    """One task: the article's text, ids and what the page header shows (headline, outlet, date),
    and the pre-annotation made from the text alone (never from gold or another annotator's work),
    checked against the config first."""
    data = {"text": article["text"], "article_id": article["article_id"], "text_sha256": article["text_sha256"],
            "title": article.get("title") or article["article_id"], "outlet": article.get("outlet") or "outlet unknown",
            "published_date": article.get("published_date") or "date unknown"}
    if prediction is None:
        return {"data": data, "predictions": []}
    errors = interface.validate_prediction(prediction, return_errors=True)
    if errors:
        raise CorpusError(f"pre-annotation of {article['article_id']} does not fit the config: {errors}")
    return {"data": data, "predictions": [prediction]}


@dataclass(frozen=True)
class PushResult:
    project_id: int
    added: int
    already_there: int


def push(layout: Layout, *, title: str = DEFAULT_PROJECT, ls: LabelStudio | None = None,
         predictions: bool = True, model: str = DEFAULT_MODEL, scheduler: str | None = None,
         workers: int | None = None) -> PushResult:
    """Create or find the project, set its fields, and import a task for every article not yet in
    it, with pre-annotations from ``model`` (a spaCy pipeline) and the rules unless ``predictions``
    is off (for annotation that must be independent of them). Pushing twice adds nothing. With
    ``scheduler`` (a Dask scheduler's address) or ``workers`` (a local cluster), the pre-annotations
    of a large archive are made on a cluster, the same as here."""
    ls = ls or client()
    with talking_to(ls):
        return _push(layout, title, ls, predictions, model, scheduler, workers)


def _push(layout: Layout, title: str, ls: LabelStudio, predictions: bool, model: str, scheduler: str | None,
          workers: int | None) -> PushResult:
    project = ensure_project(ls, title)
    present = {task.data.get("article_id"): task.data.get("text_sha256") for task in ls.tasks.list(project=project.id, page_size=100)}
    interface = LabelInterface(label_config())
    new = []
    for article in iter_articles(layout):
        if article["article_id"] in present:
            if present[article["article_id"]] != article["text_sha256"]:
                raise CorpusError(f"task for {article['article_id']} in project {title!r} has another text_sha256 than the corpus")
            continue
        new.append(article)
    made = predictions_for(new, model, scheduler=scheduler, workers=workers) if predictions and new else (None for _ in new)
    batch: list[dict] = []
    added = 0
    for article, prediction in progress(zip(new, made), len(new), "push"):
        batch.append(task_for(article, interface, prediction))
        if len(batch) == IMPORT_BATCH:
            added += _import(ls, project.id, batch)
    added += _import(ls, project.id, batch)
    return PushResult(project.id, added, len(present))


def _import(ls: LabelStudio, project_id: int, batch: list[dict]) -> int:
    if not batch:
        return 0
    ls.projects.import_tasks(id=project_id, request=list(batch))
    count = len(batch)
    batch.clear()
    return count


@dataclass(frozen=True)
class PullResult:
    path: Path | None  # None: identical to the newest export already on disk
    folder: Path  # the source's folder of exports
    source: Source
    tasks: int
    annotators: int


def _download(ls: LabelStudio, project_id: int, timeout: float = 300.0) -> list[dict]:
    export = ls.projects.exports.create(id=project_id, title="whosaidwhat pull", serialization_options=SERIALIZATION)
    started = time.monotonic()
    next_report = 2.0
    while (status := ls.projects.exports.get(id=project_id, export_pk=export.id).status) not in ("completed", "failed"):
        waited = time.monotonic() - started
        if waited > timeout:
            raise CorpusError(f"Label Studio export {export.id} did not complete within {timeout:.0f} s")
        if waited >= next_report:  # a project of many tasks takes a while: say so, on stderr
            print(f"Label Studio is exporting project {project_id} ({waited:.0f} s) ...", file=sys.stderr, flush=True)
            next_report += 10.0
        time.sleep(0.3)
    if status == "failed":
        raise CorpusError(f"Label Studio export {export.id} of project {project_id} failed")
    data = b"".join(ls.projects.exports.download(id=project_id, export_pk=export.id, export_type="JSON"))
    ls.projects.exports.delete(id=project_id, export_pk=export.id)
    return json.loads(data)


def _users(ls: LabelStudio) -> list[KnownUser]:
    return [KnownUser(u.id, u.email, tuple(n for n in (u.first_name, u.last_name, u.username) if n))
            for u in ls.users.list()]


def _newest_export(folder: Path) -> Path | None:
    exports = sorted(folder.glob("export-*.json"))
    return exports[-1] if exports else None


def source_folder(layout: Layout, source: Source) -> Path:
    """The folder of this source's exports: the one whose ``source.json`` names it, else a new one
    named after the project and the source."""
    root = layout.labelstudio_exports
    return find_folder(root, source) or root / source.folder_name(project_slug(source.project or DEFAULT_PROJECT))


def pull(layout: Layout, *, title: str = DEFAULT_PROJECT, ls: LabelStudio | None = None,
         now: datetime | None = None, new_key: bool = False) -> PullResult:
    """Export the project in Label Studio's full JSON, give every person their pseudonym
    (``labelstudio.team``), and write it as ``export-<UTC time>.json`` into the folder of its source
    (``labelstudio.sources``: this project on this server), unless it equals the newest export
    already there. Existing files are never overwritten. ``new_key``: start a new generation of
    pseudonyms with this key (the team's key is lost; see ``Registry.accept``)."""
    ls = ls or client()
    with talking_to(ls):
        project = next((p for p in ls.projects.list(title=title) if p.title == title), None)
        if project is None:
            raise CorpusError(f"Label Studio has no project titled {title!r}; create it with "
                              f"`whosaidwhat labelstudio push --project {title!r}`")
        with exclusive(layout.labelstudio_exports, "pull"):
            return _pull_locked(layout, ls, project, now, new_key)


def team_pseudonyms(layout: Layout, users: list[KnownUser], source: Source,
                    given: dict[str, str] | None = None, *, new_key: bool = False) -> tuple[Pseudonyms, Registry]:
    """Each user of the server -> their pseudonym: the one this source gave them before
    (``given``: its ``pseudonyms.json``, user id -> pseudonym), else the keyed digest of their
    e-mail. A user the server no longer lists, or lists without an e-mail (a removed member shows
    as "Deleted"), keeps what ``given`` says or gets a pseudonym of their own for this source."""
    registry = Registry.load(layout)
    for mapping in sorted(layout.labelstudio_exports.glob("*/pseudonyms.json")):
        reserve_legacy(registry, read_json(mapping))
    key = team_key(create=registry.key_check is None or new_key)
    if key is None:
        raise CorpusError(f"{registry.path.name} holds pseudonyms made with the team's key; set {KEY_VARIABLE} to it "
                          "(in the environment or .env; ask whoever pulled first) so that each person keeps one pseudonym")
    if key.where.endswith("(new)"):
        print(f"whosaidwhat: made the team's pseudonym key at {key.where.removesuffix(' (new)')}; give it to everyone who pulls "
              f"(as {KEY_VARIABLE}), so that each person keeps one pseudonym on every server", file=sys.stderr)
    registry.accept(key, new_key=new_key)
    given = dict(given or {})
    for user in users:
        if str(user.id) not in given and user.email and EMAIL.fullmatch(user.email):
            given[str(user.id)] = registry.pseudonym(key.digest(user.email))
    return Pseudonyms(given, lambda uid: registry.pseudonym(key.digest(f"{source.id}#user-{uid}"))), registry


RELATIVE_TIMES = frozenset({"created_ago"})  # "3 minutes" before the export: a pull minutes later would differ in nothing else


def _name_deleted_users(tasks: list[dict], pseudonyms: Pseudonyms) -> None:
    """An annotation whose user was deleted from the server has ``completed_by`` null: it keeps a
    pseudonym of its own (per annotation: nothing tells whether two of them were one person)."""
    for task in tasks:
        for annotation in task.get("annotations") or []:
            if isinstance(annotation, dict) and annotation.get("completed_by") is None:
                annotation["completed_by"] = pseudonyms.of(f"deleted-{annotation.get('id')}")


def _pull_locked(layout: Layout, ls: LabelStudio, project, now: datetime | None, new_key: bool) -> PullResult:
    source = Source.of_project(project)
    folder = source_folder(layout, source)
    users = _users(ls)
    given_path = folder / "pseudonyms.json"
    given = read_json(given_path) if given_path.exists() else {}
    if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
        raise UnusableInputError(given_path, "must map Label Studio user ids to pseudonyms")
    pseudonyms, registry = team_pseudonyms(layout, users, source, given, new_key=new_key)
    tasks = sorted(_download(ls, project.id), key=lambda task: task["id"])
    clean = pseudonymize(tasks, pseudonyms, users, drop=RELATIVE_TIMES)
    _name_deleted_users(clean, pseudonyms)
    text = dumps_lines(clean)
    newest = _newest_export(folder)
    annotators = len({a.get("completed_by") for t in clean for a in t.get("annotations", [])})
    registry.save()
    if pseudonyms.mapping != given:
        write_json(given_path, dict(sorted(pseudonyms.mapping.items())), overwrite=True)
    if newest is not None and hashlib.sha256(newest.read_bytes()).digest() == hashlib.sha256(text).digest():
        return PullResult(None, folder, source, len(clean), annotators)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    write_source(folder, source)
    write_text(folder / f"export-{stamp}.json", text, overwrite=False)
    return PullResult(folder / f"export-{stamp}.json", folder, source, len(clean), annotators)
