"""Lazy package namespaces: names load their submodule on first use (PEP 562).

Used by :mod:`xiangxi_econ` and :mod:`xiangxi_econ.results.models`, so that importing either stays light
(no pandas, scipy or matplotlib until a name that needs them is used).
"""

from __future__ import annotations

import importlib
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import Any


def lazy_module(name: str, exports: Mapping[str, str], namespaces: Mapping[str, str] | None = None,
                moved: Mapping[str, tuple[str, str]] | None = None, package: str | None = None,
                ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the package ``name``.

    Parameters
    ----------
    name : str
        The package.
    exports : mapping
        Public name -> submodule that defines it.
    namespaces : mapping, optional
        Attribute -> submodule returned whole (``xe.plot`` is :mod:`xiangxi_econ.face.plotting`).
    moved : mapping, optional
        Former public name -> (submodule that defines it, where it lives now, e.g. ``"xe.growth"``):
        still importable for one release, with a :class:`DeprecationWarning` naming the new home.
    package : str, optional
        The package the submodules are relative to (default ``name``; a plain module such as
        :mod:`xiangxi_econ.io` re-exports from its parent package).

    A name, once loaded, is kept in the package (a moved name is not, so every use warns).
    """
    namespaces = dict(namespaces or {})
    moved = dict(moved or {})
    base = package or name

    def __getattr__(attr: str) -> Any:
        if attr in namespaces:
            value = importlib.import_module(f".{namespaces[attr]}", base)
            setattr(sys.modules[name], attr, value)
            return value
        if attr in moved:
            module, home = moved[attr]
            warnings.warn(f"{name}.{attr} has moved to {home}.{attr}; the top-level name will be removed in the "
                          "next release", DeprecationWarning, stacklevel=2)
            return getattr(importlib.import_module(f".{module}", base), attr)
        source = exports.get(attr)
        if source is None:
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")
        value = getattr(importlib.import_module(f".{source}", base), attr)
        setattr(sys.modules[name], attr, value)
        return value

    def __dir__() -> list[str]:
        namespace = vars(sys.modules[name])
        return sorted(set(namespace) | set(namespace["__all__"]))

    return __getattr__, __dir__
