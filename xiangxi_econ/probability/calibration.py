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

import dataclasses
import math
from typing import Any

import numpy as np
import pandas as pd

from ..data.plan import Plan
from ..rules.meaning import ADDITIVE_BASE_UNITS, moves_additively
from ..rules.verdicts import lower_is_better
from ..rules.windows import series_segments
from .series_classes import CLASSES, OWN_SCALE, series_class, spread_source
from .target_models import Marginal, marginal

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


def _class_of(row: Any):
    """The row's reference class: its series' class, kept within the model family its kind allows
    (a level class for a share row becomes ``share``, a share class for a level row ``level``; the
    own-scale classes — ratios, slow shares and quantities — fit either)."""
    kind = "share" if bool(moves_additively([row.kind], [row.base_unit])[0]) else "level"
    cls = series_class(row.series_id, kind)
    if cls.name in OWN_SCALE:
        return cls
    if kind == "share" and cls.kind == "level":
        return series_class("", "share")
    if kind == "level" and cls.kind != "level":
        return series_class("", "level")
    return cls


def growth_rate_marginal(plan: Plan, row: Any, as_of_year: int, horizon: int) -> Marginal:
    """THE ONE PLACE growth-rate targets (annual or average growth of a series) plug in.

    Growth-rate rows are forecast as growth rates through the factor model's real side, the
    ``gdp_growth`` class of :mod:`xiangxi_econ.probability.target_models`
    (``target_models.growth_rate_marginal(plan, row, as_of_year, horizon)``, returning a
    :class:`Marginal` with ``transform='growth'``). Until that function exists, no forecast is made and
    the row says why (never the trend engine's made-up spread).
    """
    from . import target_models

    hook = getattr(target_models, "growth_rate_marginal", None)
    if hook is not None:
        return hook(plan, row, int(as_of_year), int(horizon))
    rates = getattr(target_models, "growth_marginal", None)
    if rates is None:
        raise ValueError("a growth-rate target is forecast by the gdp_growth class (growth through the factor "
                         "model's real side), which is not available in this version: no probability")
    years, values = _annual_growth(plan, row.series_id, int(as_of_year))
    if not len(years):
        raise ValueError(f"no annual growth rate of {row.series_id} published up to {as_of_year} (a five-year "
                         "average is not a series of rates): no probability")
    last = int(years[-1])
    if last != int(row.base_year):
        raise ValueError(f"the target averages {int(row.base_year) + 1}-{int(row.target_year)}, but the last annual "
                         f"growth rate of {row.series_id} known in {as_of_year} is of {last}: no probability")
    return rates(years, values, int(as_of_year), int(row.target_year) - last)


def _annual_growth(plan: Plan, series_id: str, as_of_year: int) -> tuple[np.ndarray, np.ndarray]:
    """Annual growth rates [%] of ``series_id`` published up to ``as_of_year`` (observations, the
    preferred figure of each year)."""
    obs = plan.observations.table
    g = obs[(obs["series_id"] == series_id) & (obs["measure"] == "growth_pct") & obs["preferred"]
            & (obs["year"] <= as_of_year)]
    g = g.drop_duplicates("year").sort_values("year")
    return g["year"].to_numpy(int), g["value"].to_numpy(float)


def target_marginal(plan: Plan, row: Any, as_of_year: int, horizon: int) -> Marginal:
    """The predictive distribution of the target row's series, 1..``horizon`` years after its last
    value at or before ``as_of_year``, from its reference class (:mod:`xiangxi_econ.probability.series_classes`):
    ratios, slow shares, sector shares and slow quantities on their own scale
    (:func:`~xiangxi_econ.probability.ratio_models.ratio_marginal`), levels and trending or noisy shares by
    :func:`~xiangxi_econ.probability.target_models.marginal`. Level classes without a history of their
    own are no wider than the region's GDP class (:func:`_no_wider_than_gdp`).

    Raises
    ------
    ValueError
        With the reason when no forecast can be made (no value, no comparable pair for a share, no
        estimates from outcomes up to ``as_of_year``).
    """
    from .priors import load_priors
    from .ratio_models import ratio_marginal

    years, values, seg = series_segments(plan, row, as_of_year)
    if not len(years):
        raise ValueError(f"no value of {row.series_id} up to {as_of_year}")
    cls = _class_of(row)
    if cls.name in OWN_SCALE:
        return ratio_marginal(years, values, seg, cls.name, int(as_of_year), int(horizon),
                              limits=_limits(row) if cls.name != "ratio" else (0.0, math.inf),
                              series_id=str(row.series_id))
    note = ""
    if cls.kind != "level" and len(seg):
        # a share's pace comes from its last statistical segment only (never across a break) ...
        last = seg == seg[-1]
        start = int(years[last][0])
        # ... whose first year is the re-base year itself when the plan printed that year's figure just
        # before the re-base (a census re-base of a denominator, not a change of definition)
        kinds = plan.observations.breaks
        rebase = kinds[(kinds["series_id"] == row.series_id) & (kinds["kind"] == "rebase")]["year"].astype(int)
        edge = (years < start) & np.isin(years, rebase.to_numpy()) & (years == years[years < start].max(initial=-1))
        if last.sum() == 1 and edge.any():
            last = last | edge
            note = (f"pace from {int(years[edge][0])} (printed in the re-base year, before the re-based figure) to "
                    f"{int(years[last][-1])}; the re-base's size is not measured")
        years, values, seg = years[last], values[last], np.zeros(int(last.sum()), dtype=int)
    m = marginal(years, values, seg, cls, int(as_of_year), int(horizon), load_priors(as_of_year=int(as_of_year)),
                 limits=_limits(row))
    if note:
        m = dataclasses.replace(m, note="; ".join(filter(None, [m.note, note])))
    own_years = float(m.details.get("years_of_deviation", 0.0) or 0.0)
    m = dataclasses.replace(m, details={**m.details, "spread_source": spread_source(cls.name, own_years)})
    if cls.kind == "level" and cls.name != "gdp" and own_years == 0:
        m = _no_wider_than_gdp(plan, m, int(as_of_year), int(horizon))
    return m


def _no_wider_than_gdp(plan: Plan, m: Marginal, as_of_year: int, horizon: int) -> Marginal:
    """A level with no history of its own gets at most the region's GDP-class spread at each horizon
    (total sd of the average log growth, common and own); said in ``spread_source``."""
    from types import SimpleNamespace

    ind = plan.indicators.set_index("indicator_id")
    if "gdp" not in ind.index:
        return m
    gdp_row = SimpleNamespace(series_id="gdp", base_unit=ind.loc["gdp", "base_unit"], scale=ind.loc["gdp", "scale"],
                              kind="level")
    try:
        years, values, seg = series_segments(plan, gdp_row, as_of_year)
        from .priors import load_priors

        g = marginal(years, values, seg, CLASSES["gdp"], as_of_year, horizon, load_priors(as_of_year=as_of_year))
    except (ValueError, KeyError):
        return m
    H = min(m.horizon, g.horizon)
    g_sd = np.sqrt(g.sigma_common[:H] ** 2 + np.var(g.resid[:H], axis=1))
    r_sd = np.std(m.resid[:H], axis=1)
    tot = np.sqrt(m.sigma_common[:H] ** 2 + r_sd ** 2)
    if not (tot > g_sd).any():
        return m
    scale = np.minimum(1.0, np.divide(g_sd, tot, out=np.ones(H), where=tot > 0))
    resid, common = m.resid.copy(), m.sigma_common.copy()
    resid[:H] = resid[:H] * scale[:, None]
    common[:H] = common[:H] * scale
    if m.horizon > H:  # beyond the GDP marginal's reach: the last horizon's scaling
        resid[H:] = resid[H:] * scale[-1]
        common[H:] = common[H:] * scale[-1]
    src = m.details.get("spread_source", "") + "; capped at the region's GDP-class spread (no own history)"
    return dataclasses.replace(m, resid=resid, sigma_common=common, details={**m.details, "spread_source": src})


def _decided(plan: Plan, row: Any, info_year: int) -> tuple[float, str]:
    """The published outcome of a target whose year is at or before ``info_year``, and ``met``/``missed``."""
    from ..rules.meaning import meets

    years, values, _ = series_segments(plan, row, info_year)
    at = values[years == int(row.target_year)]
    if not len(at):
        return float("nan"), ""
    ok = bool(meets([at[-1]], [row.target_value], [row.bound], [row.direction])[0])
    return float(at[-1]), "met" if ok else "missed"


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
                               "marginal": None, "reason": "", "history_note": "", "spread_source": "",
                               "outcome": np.nan, "decided": "",
                               **{f"q{int(q * 100):02d}": np.nan for q in QUANTILES}}
        out.append(rec)
        info_year = int(row.base_year) if as_of_year is None else int(as_of_year)
        if row.kind not in ("level", "count", "share", "rate", "growth", "cumulative") or pd.isna(row.target_value):
            rec["reason"] = f"a {row.kind} target has no level to forecast"
            continue
        if getattr(row, "derived_bound", False):
            rec["reason"] = "a bound derived for another outcome, not an outcome: not forecast as one"
            continue
        try:
            if row.kind == "growth":
                horizon = reach = int(row.target_year) - info_year
                m = growth_rate_marginal(plan, row, info_year, max(horizon, 1))
            else:
                years, _, _ = series_segments(plan, row, info_year)
                origin = int(years.max()) if len(years) else info_year
                horizon = int(row.target_year) - origin
                reach = max(int(row.target_year), int(to_year) if to_year is not None else 0) - origin
                if horizon < 1 and len(years):
                    rec["outcome"], rec["decided"] = _decided(plan, row, info_year)
                if reach < 1:
                    rec["reason"] = _decided_reason(row, origin, rec)
                    continue
                if row.kind == "cumulative":
                    m = _total_marginal(plan, row, info_year, origin, horizon)
                else:
                    m = target_marginal(plan, row, info_year, reach)
        except ValueError as exc:
            rec["reason"] = str(exc)
            continue
        cls = CLASSES.get(m.series_class)
        rec.update(model=m.model, series_class=m.series_class, class_description=cls.estimated_on if cls else "",
                   years_used=",".join(map(str, m.years_used)), origin_year=m.origin, history_note=m.note,
                   marginal=m, spread_source=m.details.get("spread_source", ""))
        if horizon < 1:
            rec["reason"] = _decided_reason(row, int(m.origin), rec)
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


def _decided_reason(row: Any, origin: int, rec: dict) -> str:
    if rec.get("decided"):
        return (f"decided: {rec['decided']} (outcome {rec['outcome']:,.4g} in {int(row.target_year)}, published by "
                "the information year)")
    return f"decided: the target year {int(row.target_year)} is not after the last value ({origin})"


def _total_marginal(plan: Plan, row: Any, info_year: int, origin: int, horizon: int) -> Marginal:
    """A total over the years after the base year: the flow's level-class marginal read as
    :math:`x_o \\sum_{t \\le h} e^{t y}` (``total``); the flow's last value must be the base year's."""
    if origin != int(row.base_year):
        raise ValueError(f"the total runs from {int(row.base_year) + 1}; the flow's last value at the information "
                         f"year is of {origin}, not the base year {int(row.base_year)}")
    m = target_marginal(plan, row, info_year, horizon)
    if m.transform != "log":
        raise ValueError(f"a total needs a level class for its annual flow; got {m.series_class}")
    return dataclasses.replace(m, transform="total")
