"""Reading and writing: plan files, observations, units, IAMC tables and workbooks (``xe.io``).

One home for every way data come in and go out, re-exported from the modules that define them
(:mod:`~xiangxi_econ.plan_io`, :mod:`~xiangxi_econ.observed`, :mod:`~xiangxi_econ.validation`,
:mod:`~xiangxi_econ.iamc`, :mod:`~xiangxi_econ.export`). Loading a plan (``xe.load_plan``,
``xe.read_plan``) and ``xe.validate_plan`` stay at the top level.

>>> import xiangxi_econ as xe
>>> xe.io.default_units().scale("亿元")
100000000.0
"""

from __future__ import annotations

from ._lazy import lazy_module as _lazy_module

_EXPORTS = {
    "read_indicators": "plan_io",
    "read_history": "plan_io",
    "default_units": "plan_io",
    "read_observations": "observed",
    "load_observations": "observed",
    "Observations": "observed",
    "check_plan": "validation",
    "validate_plan": "validation",
    "read_plan_observations": "validation",
    "ValidationResult": "validation",
    "to_iamc": "iamc",
    "read_iamc": "iamc",
    "scenarios_from_iamc": "iamc",
    "write_excel": "export",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = _lazy_module(__name__, _EXPORTS, package="xiangxi_econ")
