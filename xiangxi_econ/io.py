"""Reading and writing: plan files, observations, units, IAMC tables and workbooks (``xe.io``).

One home for every way data come in and go out, re-exported from the modules that define them
(:mod:`~xiangxi_econ.data.plan_io`, :mod:`~xiangxi_econ.data.observed`, :mod:`~xiangxi_econ.data.validation`,
:mod:`~xiangxi_econ.face.iamc`, :mod:`~xiangxi_econ.face.export`). Loading a plan (``xe.load_plan``,
``xe.read_plan``) and ``xe.validate_plan`` stay at the top level.

>>> import xiangxi_econ as xe
>>> xe.io.default_units().scale("亿元")
100000000.0
"""

from __future__ import annotations

from ._lazy import lazy_module as _lazy_module

_EXPORTS = {
    "read_indicators": "data.plan_io",
    "read_history": "data.plan_io",
    "default_units": "data.plan_io",
    "read_observations": "data.observed",
    "load_observations": "data.observed",
    "Observations": "data.observed",
    "check_plan": "data.validation",
    "validate_plan": "rules.validate",
    "read_plan_observations": "data.validation",
    "ValidationResult": "rules.validate",
    "to_iamc": "face.iamc",
    "read_iamc": "face.iamc",
    "scenarios_from_iamc": "face.iamc",
    "write_excel": "face.export",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = _lazy_module(__name__, _EXPORTS, package="xiangxi_econ")
