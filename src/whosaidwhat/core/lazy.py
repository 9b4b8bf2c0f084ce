"""Names of a package imported on first use (PEP 562): a stage's ``__init__`` lists its public
names without importing its modules, so importing one module of a stage (``release.features``)
does not import the whole stage, and stages import each other's modules without cycles."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def exports(package: str, homes: dict[str, str]) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, whose public name ``n`` lives in its module
    ``homes[n]``."""
    def __getattr__(name: str):
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{homes[name]}"), name)

    def __dir__() -> list[str]:
        return sorted(homes)
    return __getattr__, __dir__
