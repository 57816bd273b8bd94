"""Private helpers shared by the structural models: argument checks, path frames, plan look-ups."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from ..._checks import check_rate, describe_position, prepare
from ..._display import ResultBase, charts
from ...maths.growth import _whole_scalar_years
from ...maths.prices import nominal_rate

if TYPE_CHECKING:  # pragma: no cover
    from ...data.plan import Plan

ArrayLike: TypeAlias = float | np.ndarray
"""A scalar or an array; solvers return a ``float`` for scalar inputs, an ``ndarray`` otherwise."""



def _scalar(name: str, value: Any, unit: str) -> float:
    """``value`` as a finite Python float, or a TypeError/ValueError naming ``name``."""
    if np.ndim(value) != 0:
        raise TypeError(f"{name} must be a single number [{unit}]; got {value!r:.60}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number [{unit}]; got {value!r:.60}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite [{unit}]; got {x:g}")
    return x


def _positive(name: str, value: Any, unit: str) -> float:
    """A positive finite scalar (a level: GDP, arrivals, population ...)."""
    x = _scalar(name, value, unit)
    if x <= 0:
        raise ValueError(f"{name} must be positive [{unit}]; got {x:g}")
    return x


def _check_between(name: str, value: Any, unit: str, lo: float, hi: float, *,
                   lo_open: bool = True, hi_open: bool = True) -> None:
    """Vectorised range check; NaN passes (it propagates). Names the first bad value."""
    arr = np.asarray(value, dtype=float)
    above = arr > lo if lo_open else arr >= lo
    below = arr < hi if hi_open else arr <= hi
    bad = ~(above & below) & ~np.isnan(arr)
    if np.any(bad):
        flat = int(np.argmax(bad.ravel())) if bad.ndim else 0
        got = arr.ravel()[flat] if arr.ndim else float(arr)
        if np.isinf(hi) and lo == 0:
            need = "positive" if lo_open else "zero or positive"
        elif lo_open and hi_open:
            need = f"strictly between {lo:g} and {hi:g}"
        elif lo_open:
            need = f"above {lo:g} and at most {hi:g}"
        elif hi_open:
            need = f"at least {lo:g} and below {hi:g}"
        else:
            need = f"between {lo:g} and {hi:g}"
        raise ValueError(f"{name} must be {need} [{unit}]; got {got:g}{describe_position(arr, flat, value)}")


def _check_rates(_stacklevel: int = 4, **named: Any) -> None:
    """Rates as fractions per year: ValueError below -1, PercentLikeRateWarning above 1 in size.
    The default stack level points the warning at the caller of the public method."""
    prep = prepare(**named)
    for name in named:
        check_rate(prep, name, stacklevel=_stacklevel)


def _gdp_nominal(gdp_rate: Any, inflation: Any | None) -> Any:
    """The nominal GDP rate: ``gdp_rate`` itself, or (1+real)(1+inflation)-1 when inflation is given."""
    if inflation is None:
        _check_rates(5, gdp_rate=gdp_rate)
        return gdp_rate
    return nominal_rate(gdp_rate, inflation)


def _steps(years: Any) -> np.ndarray:
    """Offsets 0..n for a projection over a whole number of years."""
    return np.arange(_whole_scalar_years(years) + 1, dtype=float)


def _frame(year: int | None, steps: np.ndarray, columns: Mapping[str, Any], units: Mapping[str, str],
           **attrs: Any) -> pd.DataFrame:
    """Tidy projection frame: ``year`` then the components; units in ``frame.attrs['units']``.
    Without a base year, ``year`` counts the years after the base year."""
    first = 0 if year is None else year
    frame = pd.DataFrame({"year": (first + steps).astype(int), **{k: np.asarray(v, dtype=float)
                                                                  for k, v in columns.items()}})
    frame.attrs["units"] = {"year": "calendar year" if year is not None else "years after the base year", **units}
    frame.attrs.update(attrs)
    return frame


def _plan_level(plan: Plan, series_id: str, year: int, base_unit: str, scale: float) -> tuple[float, str]:
    """(value in a unit of ``scale`` base units, source) of :meth:`Plan.level`."""
    lv = plan.level(series_id, year, base_unit)
    return lv.in_scale(scale), lv.source


def _source_lines(sources: Mapping[str, str]) -> list[str]:
    if not sources:
        return []
    return ["", "sources: " + "; ".join(f"{k} {v}" for k, v in sources.items())]


def _component_table(rows: list[tuple[str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["component", "value", "unit"])


def _component_text(rows: list[tuple[str, float, str]]) -> list[str]:
    width = max(len(r[0]) for r in rows)
    return [f"  {name:<{width}}  {value:>12,.6g}  {unit}" for name, value, unit in rows]


# ============================================================================ productivity



class ComponentDisplay(ResultBase):
    """Display shared by the structural models: the identity as a headline, the base-year
    components (from ``_rows()``), optional notes and the sources of the numbers."""

    def _headline(self) -> str:  # pragma: no cover - each model defines it
        raise NotImplementedError

    def _notes(self) -> list[str]:
        return []

    sources: Mapping[str, str]

    def _rows(self) -> list[tuple[str, float, str]]:  # pragma: no cover - each model defines it
        raise NotImplementedError

    def _year_text(self) -> str:
        year = getattr(self, "year", None)
        return "base year" if year is None else str(year)

    def _frame(self) -> pd.DataFrame:
        """Base-year components: ``component, value, unit``."""
        return _component_table(self._rows())

    def _plot(self, ax: Any = None) -> Any:
        """The base-year components as bars (log scale: each in its own unit)."""
        plot_components = charts().plot_components

        return plot_components(self.to_frame(), self._headline(), ax=ax)

    def _summary(self, lang: str = "en") -> str:
        """Plain text: identity, base year and components."""
        return "\n".join([self._headline(), "", *_component_text(self._rows()), *self._notes(),
                          *_source_lines(self.sources)])


# ============================================================================ shared by several models

def _float_or_array(x: Any) -> ArrayLike:
    """A Python float for a scalar, a float array otherwise."""
    return float(x) if np.ndim(x) == 0 else np.asarray(x, dtype=float)


def _compound(years: Any, **named: tuple[float, Any]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Offsets 0..n (:func:`_steps`) and, for each ``name=(base, rate)``, the path
    ``base (1 + rate)^k``. Each rate must be a single number [fraction per year]; messages and
    warnings name it ``name`` and point at the caller of the public method."""
    rates = {name: _scalar(name, rate, "fraction per year") for name, (_, rate) in named.items()}
    _check_rates(5, **rates)
    k = _steps(years)
    return k, [base * (1 + rates[name]) ** k for name, (base, _) in named.items()]


def _plan_levels(plan: Plan, year: int | None,
                 levels: Mapping[str, tuple[str, str, float]]) -> tuple[int, dict[str, float], dict[str, str]]:
    """``(year, values, sources)`` for ``levels``: component -> (series_id, base unit, scale), each
    read by :func:`_plan_level` in ``year`` (default: the plan's base year)."""
    year = plan.periods.base_year if year is None else year
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    for name, (series_id, base_unit, scale) in levels.items():
        values[name], sources[name] = _plan_level(plan, series_id, year, base_unit, scale)
    return year, values, sources


def _factor_rate(total: float, target_name: str, target: Any, unit: str, years: Any, **other_rate: Any) -> Any:
    """Growth of one factor of a product that takes ``total`` [``unit``] to ``target`` in ``years``,
    the other factor growing at the one keyword rate ``other_rate`` [fraction per year]
    (:func:`xiangxi_econ.maths.identities.factor_rate_for_product`); arguments checked and named as given."""
    from ...maths.identities import factor_rate_for_product

    _check_between(target_name, target, unit, 0, np.inf)
    _check_between("years", years, "years", 0, np.inf)
    _check_rates(5, **other_rate)
    (rate,) = other_rate.values()
    return factor_rate_for_product(total, target, years, rate)
