"""Finding a release folder: the one place that knows what ``releases/`` holds, so the commands,
the loaders, the exports and the version checks agree on which versions exist and say alike what
is missing.

>>> release_folder("0.1.0")            # releases/0.1.0 of the repository
>>> release_folder("downloads/wsw")    # a folder, as it is
>>> release_folder()                   # the newest version in releases/
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import CorpusError
from ..core.layout import Layout


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    @property
    def name(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def parse(cls, text: str) -> "Version | None":
        m = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", text)
        return cls(*map(int, m.groups())) if m else None


def released_versions(layout: Layout) -> list[Version]:
    """The versions in ``releases/``, oldest first: its folders named X.Y.Z (not a build's
    ``.lock`` or its half-written ``.X.Y.Z.building-*``)."""
    return sorted(v for p in layout.releases.glob("*") if p.is_dir() and (v := Version.parse(p.name)))


def release_folder(name: str | Path | None = None, layout: Layout | None = None) -> Path:
    """The release folder ``name`` stands for: a folder, as it is; else a version in ``releases/``;
    the newest version when ``name`` is None. A release folder holds SHA256SUMS (a build writes it
    last), so a half-written or unrelated folder is refused here, not halfway through a command."""
    if name is not None and Path(name).is_dir():
        return _built(Path(name))
    layout = layout or Layout.find()
    if name is None:
        versions = released_versions(layout)
        if not versions:
            raise CorpusError(f"{layout.releases}: no release built yet; build one with "
                              f"`whosaidwhat build --version X.Y.Z`")
        return _built(layout.releases / versions[-1].name)
    if Version.parse(str(name)) is None:
        raise CorpusError(f"{name}: neither a release folder nor a version X.Y.Z in {layout.releases}; "
                          f"build one with `whosaidwhat build --version X.Y.Z`")
    return _built(layout.releases / str(name))


def _built(folder: Path) -> Path:
    """``folder`` if it is a built release, else the error that says what it is and what to run."""
    if (folder / "SHA256SUMS").is_file():
        return folder
    problem = "not a built release (no SHA256SUMS)" if folder.exists() else "no such release"
    build = (f"build it with `whosaidwhat build --version {folder.name}`" if Version.parse(folder.name)
             else "build one with `whosaidwhat build --version X.Y.Z`")
    raise CorpusError(f"{folder}: {problem}; {build}")
