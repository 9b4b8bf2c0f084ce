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

from ..core.errors import CorpusError
from ..core.io import dumps_lines, read_json, write_json, write_text
from .config import label_config
from ..core.layout import Layout
from ..core.locks import exclusive
from .preannotate import MODEL_VERSION, KnownEntity, preannotate
from .pseudonymize import KnownUser, Pseudonyms, pseudonymize
from ..core.records import iter_articles, iter_record_files
from .regions import to_results

DEFAULT_PROJECT = "whosaidwhat"
IMPORT_BATCH = 100
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


def ensure_project(ls: LabelStudio, title: str = DEFAULT_PROJECT):
    """The project with exactly this title (the API's title filter matches substrings), created
    with the generated config if missing, its config updated if it differs."""
    config = label_config()
    project = next((p for p in ls.projects.list(title=title) if p.title == title), None)
    if project is None:
        return ls.projects.create(title=title, label_config=config)
    if (project.label_config or "").strip() != config.strip():
        ls.projects.update(id=project.id, label_config=config)
    return project


def known_entities(layout: Layout) -> set[KnownEntity]:
    """Entity mentions of the gold annotations, for the pre-annotator."""
    known = set()
    for records in iter_record_files(layout):
        for mention in records["entities"]:
            if mention["origin"] == "gold":
                key = mention["entity_id"].split(":", 1)[-1] if mention["entity_id"] else None
                known.add(KnownEntity(mention["text"], mention["label"], key))
    return known


def task_for(article: dict, known: set[KnownEntity], interface: LabelInterface) -> dict:
    """One task: the article's text and ids, and the rule-based prediction (checked against the
    config with ``LabelInterface.validate_prediction`` first)."""
    regions, relations = preannotate(article["text"], known)
    prediction = {"model_version": MODEL_VERSION, "score": 0.5,
                  "result": to_results(regions, relations, article["text"])}
    errors = interface.validate_prediction(prediction, return_errors=True)
    if errors:
        raise CorpusError(f"pre-annotation of {article['article_id']} does not fit the config: {errors}")
    return {"data": {"text": article["text"], "article_id": article["article_id"],
                     "text_sha256": article["text_sha256"]},
            "predictions": [prediction] if regions else []}


@dataclass(frozen=True)
class PushResult:
    project_id: int
    added: int
    already_there: int


def push(layout: Layout, *, title: str = DEFAULT_PROJECT, ls: LabelStudio | None = None) -> PushResult:
    """Create or find the project, set the config, and import a task (with pre-annotations) for
    every article not yet in it. Pushing twice adds nothing."""
    ls = ls or client()
    with talking_to(ls):
        return _push(layout, title, ls)


def _push(layout: Layout, title: str, ls: LabelStudio) -> PushResult:
    project = ensure_project(ls, title)
    present = {task.data.get("article_id"): task.data.get("text_sha256") for task in ls.tasks.list(project=project.id, page_size=100)}
    known = known_entities(layout)
    interface = LabelInterface(label_config())
    batch: list[dict] = []
    added = 0
    for article in iter_articles(layout):
        if article["article_id"] in present:
            if present[article["article_id"]] != article["text_sha256"]:
                raise CorpusError(f"task for {article['article_id']} in project {title!r} has another text_sha256 than the corpus")
            continue
        batch.append(task_for(article, known, interface))
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
    tasks: int
    annotators: int


def export_folder(layout: Layout, title: str) -> Path:
    return layout.labelstudio_exports / project_slug(title)


def _download(ls: LabelStudio, project_id: int, timeout: float = 300.0) -> list[dict]:
    export = ls.projects.exports.create(id=project_id, title="whosaidwhat pull", serialization_options=SERIALIZATION)
    deadline = time.monotonic() + timeout
    while (status := ls.projects.exports.get(id=project_id, export_pk=export.id).status) not in ("completed", "failed"):
        if time.monotonic() > deadline:
            raise CorpusError(f"Label Studio export {export.id} did not complete within {timeout:.0f} s")
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


def pull(layout: Layout, *, title: str = DEFAULT_PROJECT, ls: LabelStudio | None = None,
         now: datetime | None = None) -> PullResult:
    """Export the project in Label Studio's full JSON, pseudonymise it, and write it as
    ``export-<UTC time>.json``, unless it equals the newest export already there. Existing files are
    never overwritten."""
    ls = ls or client()
    with talking_to(ls):
        project = next((p for p in ls.projects.list(title=title) if p.title == title), None)
        if project is None:
            raise CorpusError(f"Label Studio has no project titled {title!r}; create it with "
                              f"`whosaidwhat labelstudio push --project {title!r}`")
        folder = export_folder(layout, title)
        with exclusive(folder, "pull of this project"):
            return _pull_locked(ls, project, folder, now)


def _pull_locked(ls: LabelStudio, project, folder: Path, now: datetime | None) -> PullResult:
    mapping_path = folder / "pseudonyms.json"
    pseudonyms = Pseudonyms(read_json(mapping_path) if mapping_path.exists() else {})
    tasks = sorted(_download(ls, project.id), key=lambda task: task["id"])
    clean = pseudonymize(tasks, pseudonyms, _users(ls))
    text = dumps_lines(clean)
    newest = _newest_export(folder)
    annotators = len({a.get("completed_by") for t in clean for a in t.get("annotations", [])})
    if newest is not None and hashlib.sha256(newest.read_bytes()).digest() == hashlib.sha256(text).digest():
        return PullResult(None, len(clean), annotators)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    write_text(folder / f"export-{stamp}.json", text, overwrite=False)
    write_json(mapping_path, pseudonyms.mapping, overwrite=True)
    return PullResult(folder / f"export-{stamp}.json", len(clean), annotators)
