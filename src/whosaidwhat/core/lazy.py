"""Names of a package imported on first use (PEP 562): a package's ``__init__`` lists its public
names without importing its modules, so importing one module of a stage (``release.features``)
does not import the whole stage, a command that converts or validates does not pay for
``datasets`` and ``pandas``, and stages import each other's modules without cycles."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def exports(package: str, modules: dict[str, tuple[str, ...]]) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for ``package``, whose module ``m`` (relative to
    it) holds the public names ``modules[m]``. A name, once imported, is kept in the package."""
    homes = {name: module for module, names in modules.items() for name in names}
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str):
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{homes[name]}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(homes))
    return __getattr__, __dir__, sorted(homes)
