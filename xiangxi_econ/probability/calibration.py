"""Each plan target's predictive distribution, from its reference class, in the one engine.

:func:`target_forecasts` turns each numeric target into a forecast problem: the target's series as
known in ``as_of_year`` (the plan's own printed levels for the years it prints, published figures for
the others, in the target's unit, each value with its statistical segment,
:func:`series_segments`), its reference class (:mod:`xiangxi_econ.probability.series_classes`: GDP, income,
tourism, fiscal revenue, retail sales, trending, slow and noisy shares), the class model
(:mod:`xiangxi_econ.probability.target_models`: a national factor and the region's deviation for levels, the
share models for shares) and the probability engine (:mod:`xiangxi_econ.probability.engine`), which shares the
common national shock across targets. A break is bridged by growth rates or paces within each
segment; the level grows from the last value.

Scoring these forecasts against outcomes is :mod:`xiangxi_econ.probability.backtesting`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..data.plan import Plan
from ..rules.verdicts import lower_is_better
from ..rules.windows import series_segments
from ..schema import PP_KINDS
from .series_classes import CLASSES, series_class
from .target_models import Marginal, marginal

#: Base units measured additively (not compounded): ages and durations.
ADDITIVE_BASE_UNITS = frozenset({"year"})
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def target_history(plan: Plan, row: Any, as_of_year: int, segment_only: bool = True) -> pd.Series:
    """The target's series as known in ``as_of_year``, in the target's unit.

    The plan's own printed levels win for the years it prints (what the plan saw); published figures
    fill the other years. With ``segment_only`` only values in the statistical segment of the last
    value (:func:`~xiangxi_econ.rules.windows.segment`) are kept.
    """
    years, values, seg = series_segments(plan, row, as_of_year)
    series = pd.Series(values, index=years)
    if segment_only and len(seg):
        series = series[seg == seg[-1]]
    return series


def _limits(row: Any) -> tuple[float, float]:
    if row.base_unit in ADDITIVE_BASE_UNITS:
        return (0.0, 150.0)
    return (0.0, 100.0)


def target_marginal(plan: Plan, row: Any, as_of_year: int, horizon: int) -> Marginal:
    """The predictive distribution of the target row's series, 1..``horizon`` years after its last
    value at or before ``as_of_year``, from its reference class (:mod:`xiangxi_econ.probability.series_classes`).

    Raises
    ------
    ValueError
        With the reason when no forecast can be made (no value, no comparable pair for a share, no
        priors estimated from outcomes up to ``as_of_year``).
    """
    from .priors import load_priors

    years, values, seg = series_segments(plan, row, as_of_year)
    if not len(years):
        raise ValueError(f"no value of {row.series_id} up to {as_of_year}")
    kind = "share" if (row.kind in PP_KINDS or row.base_unit in ADDITIVE_BASE_UNITS) else "level"
    cls = series_class(row.series_id, kind)
    if kind == "share" and cls.kind == "level":
        cls = series_class("", "share")
    if kind == "level" and cls.kind != "level":
        cls = series_class("", "level")
    return marginal(years, values, seg, cls, int(as_of_year), int(horizon), load_priors(as_of_year=int(as_of_year)),
                    limits=_limits(row))


def target_forecasts(plan: Plan, rows: pd.DataFrame, as_of_year: int | None = None,
                     probabilities: bool = True, to_year: int | None = None) -> pd.DataFrame:
    """Each target row's distribution at its target year, from its reference class, in one engine.

    Parameters
    ----------
    plan : Plan
    rows : pandas.DataFrame
        Target rows (``indicator_id, series_id, kind, unit, base_unit, scale, base_year, target_year,
        target_value, bound, direction``), e.g. from :func:`~xiangxi_econ.rules.targets.targets_table`.
    as_of_year : int, optional
        Information year [year]; default each row's ``base_year``.
    probabilities : bool
        Compute probabilities and quantiles (``False``: the marginals only).
    to_year : int, optional
        Carry each marginal at least to this year (fans beyond the target year; a target already
        decided by ``as_of_year`` then still gets its marginal, without a probability).

    Returns
    -------
    pandas.DataFrame
        ``indicator_id, probability, q05 .. q95, model, series_class, class_description, years_used,
        origin_year, history_note, marginal`` (the :class:`~xiangxi_econ.probability.target_models.Marginal`) and
        ``reason`` where no forecast was made. Probabilities and quantiles are exact (quadrature),
        and share one common shock (:class:`~xiangxi_econ.probability.engine.TargetSet`).
    """
    from .engine import TargetSet

    out = []
    made: list[tuple[int, Marginal, int]] = []
    for k, row in enumerate(rows.itertuples()):
        rec: dict[str, Any] = {"indicator_id": row.indicator_id, "probability": np.nan, "model": "",
                               "series_class": "", "class_description": "", "years_used": "", "origin_year": np.nan,
                               "marginal": None, "reason": "", "history_note": "",
                               **{f"q{int(q * 100):02d}": np.nan for q in QUANTILES}}
        out.append(rec)
        info_year = int(row.base_year) if as_of_year is None else int(as_of_year)
        if row.kind not in ("level", "count", "share", "rate") or pd.isna(row.target_value):
            rec["reason"] = f"a {row.kind} target has no level to forecast"
            continue
        try:
            years, _, _ = series_segments(plan, row, info_year)
            origin = int(years.max()) if len(years) else info_year
            horizon = int(row.target_year) - origin
            reach = max(int(row.target_year), int(to_year) if to_year is not None else 0) - origin
            if reach < 1:
                rec["reason"] = f"the target year {int(row.target_year)} is not after the last value ({origin})"
                continue
            m = target_marginal(plan, row, info_year, reach)
        except ValueError as exc:
            rec["reason"] = str(exc)
            continue
        cls = CLASSES[m.series_class]
        rec.update(model=m.model, series_class=m.series_class, class_description=cls.estimated_on,
                   years_used=",".join(map(str, m.years_used)), origin_year=m.origin, history_note=m.note,
                   marginal=m)
        if horizon < 1:
            rec["reason"] = f"decided: the target year {int(row.target_year)} is not after the last value ({origin})"
            continue
        made.append((k, m, horizon))
    if made and probabilities:
        sub = rows.iloc[[k for k, _, _ in made]]
        ts = TargetSet.from_marginals(list(sub["indicator_id"]), [m for _, m, _ in made], [h for _, _, h in made],
                                      sub["target_value"].to_numpy(float),
                                      lower_is_better(sub["bound"], sub["direction"]))
        p = ts.probability()
        q = ts.quantiles(QUANTILES)
        for j, (k, _, _) in enumerate(made):
            out[k]["probability"] = float(p[j])
            out[k].update({f"q{int(qq * 100):02d}": float(q[j, i]) for i, qq in enumerate(QUANTILES)})
    return pd.DataFrame(out)
