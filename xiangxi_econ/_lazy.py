"""Lazy package namespaces: names load their submodule on first use (PEP 562).

Used by :mod:`xiangxi_econ` and :mod:`xiangxi_econ.models`, so that importing either stays light
(no pandas, scipy or matplotlib until a name that needs them is used).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_module(name: str, exports: Mapping[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the package ``name`` whose public names are ``exports``
    (public name -> submodule that defines it). A name, once loaded, is kept in the package."""

    def __getattr__(attr: str) -> Any:
        module = exports.get(attr)
        if module is None:
            raise AttributeError(f"module {name!r} has no attribute {attr!r}")
        value = getattr(importlib.import_module(f".{module}", name), attr)
        setattr(sys.modules[name], attr, value)
        return value

    def __dir__() -> list[str]:
        namespace = vars(sys.modules[name])
        return sorted(set(namespace) | set(namespace["__all__"]))

    return __getattr__, __dir__
