"""The old deceleration model of :mod:`~xiangxi_econ.probability.priors` as a named baseline.

Not public API: the benchmarks (``benchmarks/bench_backtest.py``) score it beside the class engine of
:func:`~xiangxi_econ.probability.forecasting.forecast`. :func:`backtest_panel` runs it by rolling origins
on a long panel of levels, vectorised across regions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._display import ResultBase
from .priors import (
    PINBALL_QUANTILES,
    level_params,
    load_priors,
    reliability_from_panel,
    year_effect_common_variance,
)

__all__ = ["PanelBacktest", "backtest_panel"]


# --------------------------------------------------------------------------- panel backtest
@dataclass(frozen=True, eq=False, repr=False)
class PanelBacktest(ResultBase):
    """Rolling-origin backtest of level forecasts on a panel (from :func:`backtest_panel`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per region and origin: ``region, origin_year, outcome_year, outcome_log,
        centre_log, sd_log, pit, in50, in90, pinball, log_score`` and ``baseline_in50,
        baseline_in90, baseline_pinball`` of the random-walk-median rule [log levels in log points;
        pinball in log points; log score in nats].
    horizon, window : int
        [years].
    n_skipped : int
        Region-origins without the values needed (missing or screened out).
    """

    table: pd.DataFrame
    horizon: int
    window: int
    n_skipped: int = 0

    def scores(self) -> pd.DataFrame:
        """Coverage of the 50% and 90% central intervals [fraction], mean pinball loss over
        quantiles 0.05..0.95 [log points], mean log score [nats], for the model and the baseline,
        per origin and pooled (``origin_year == 'all'``)."""
        cols = {"n": ("pit", "size"), "coverage50": ("in50", "mean"), "coverage90": ("in90", "mean"),
                "pinball": ("pinball", "mean"), "log_score": ("log_score", "mean"),
                "baseline_coverage50": ("baseline_in50", "mean"), "baseline_coverage90": ("baseline_in90", "mean"),
                "baseline_pinball": ("baseline_pinball", "mean")}
        per = self.table.groupby("origin_year").agg(**cols)
        per.index = per.index.astype(str)
        pooled = self.table.assign(origin_year="all").groupby("origin_year").agg(**cols)
        return pd.concat([per, pooled]).reset_index()

    def _frame(self) -> pd.DataFrame:
        return self.scores()

    def _summary(self, lang: str = "en") -> str:
        s = self.scores().set_index("origin_year")
        lines = [f"Rolling-origin backtest: horizon {self.horizon}, window {self.window}, "
                 f"{len(self.table)} forecasts, {self.n_skipped} skipped", "",
                 "origin    n  cov50  cov90  pinball  | base cov50  cov90  pinball"]
        for o, r in s.iterrows():
            base = f"{r.baseline_coverage50:.3f}  {r.baseline_coverage90:.3f}  {r.baseline_pinball:.4f}"
            model = f"{r.coverage50:.3f}  {r.coverage90:.3f}  {r.pinball:.4f}"
            lines.append(f"{o:>6} {int(r.n):4d}  {model}   |      {base}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        s = self.scores().iloc[-1]
        return (f"PanelBacktest({int(s.n)} forecasts, h={self.horizon}: cov50 {s.coverage50:.2f}, "
                f"cov90 {s.coverage90:.2f}, pinball {s.pinball:.4f} vs baseline {s.baseline_pinball:.4f})")


def _normal_scores(y: np.ndarray, mu: np.ndarray, sd: np.ndarray) -> dict[str, np.ndarray]:
    """PIT, interval hits, pinball loss averaged over :data:`PINBALL_QUANTILES`, log score."""
    from scipy.special import ndtr, ndtri

    zq = ndtri(np.asarray(PINBALL_QUANTILES))
    u = (y - mu) / sd
    pit = ndtr(u)
    qv = mu[:, None] + sd[:, None] * zq[None, :]
    err = y[:, None] - qv
    qs = np.asarray(PINBALL_QUANTILES)[None, :]
    pinball = np.maximum(qs * err, (qs - 1) * err).mean(axis=1)
    log_score = 0.5 * u**2 + np.log(sd) + 0.5 * math.log(2 * math.pi)
    return {"pit": pit, "in50": (pit >= 0.25) & (pit <= 0.75), "in90": (pit >= 0.05) & (pit <= 0.95),
            "pinball": pinball, "log_score": log_score}


def _baseline_scores(panel: pd.DataFrame, origin: int, horizon: int, window: int, regions: pd.Index,
                     y: np.ndarray) -> dict[str, np.ndarray]:
    """Interval hits and pinball loss of the random-walk-median rule at the same quantiles (NaN when the
    panel has no past vintage for it)."""
    from .factor import FactorModelError, random_walk_median_quantiles

    probs = tuple(float(q) for q in PINBALL_QUANTILES)
    try:
        q = random_walk_median_quantiles(panel, origin, [horizon], probs, window=window)[horizon]
    except FactorModelError:
        nan = np.full(len(y), np.nan)
        return {"in50": nan, "in90": nan, "pinball": nan}
    qv = q.reindex(regions).to_numpy(float)
    err = y[:, None] - qv
    p = np.asarray(probs)[None, :]
    pinball = np.maximum(p * err, (p - 1) * err).mean(axis=1)
    col = {round(v, 2): j for j, v in enumerate(probs)}
    in50 = (y >= qv[:, col[0.25]]) & (y <= qv[:, col[0.75]])
    in90 = (y >= qv[:, col[0.05]]) & (y <= qv[:, col[0.95]])
    bad = ~np.isfinite(qv).all(axis=1)
    return {"in50": np.where(bad, np.nan, in50), "in90": np.where(bad, np.nan, in90),
            "pinball": np.where(bad, np.nan, pinball)}


def _panel_wide(panel: pd.DataFrame) -> pd.DataFrame:
    need = {"region", "year", "value"}
    if not isinstance(panel, pd.DataFrame) or not need <= set(panel.columns):
        raise ValueError(f"panel: expected a DataFrame with columns {sorted(need)}")
    if panel.duplicated(["region", "year"]).any():
        raise ValueError("panel: duplicate region-year rows; expected one value per region and year")
    wide = panel.pivot(index="region", columns="year", values="value").astype(float)
    if (wide <= 0).any().any():
        raise ValueError("panel: non-positive values; expected positive levels")
    years = np.asarray(wide.columns, dtype=int)
    full = np.arange(years.min(), years.max() + 1)
    return wide.reindex(columns=full)


def backtest_panel(panel: pd.DataFrame, origins: Any, horizon: int = 5, window: int = 5, priors: Any = None,
                   use_peers: bool = True) -> PanelBacktest:
    """Rolling-origin backtest over a long panel of levels, vectorised across regions.

    For each origin year :math:`o` and region with values at :math:`o-k`, :math:`o` (and every
    year between, for the reliability) and :math:`o+h`, the forecast of :math:`\\ln x_{o+h}` uses
    data up to :math:`o` only: :math:`N(\\ln x_o + h\\,\\mu,\\; (h\\sigma)^2)` with :math:`\\mu,
    \\sigma` from :func:`level_params`. With ``use_peers`` the peers are the other regions of the
    panel at the same origin (leave-one-out mean, reliability and year-effect common variance from
    data <= o). The baseline is the random-walk-median rule
    (:func:`~xiangxi_econ.probability.factor.random_walk_median_quantiles`: drift the cross-sectional median of
    the last ``window`` years' growth, spread the empirical quantiles of the rule's own past errors
    with outcomes <= o), scored on the same quantiles; where the panel holds no past vintage for the
    rule (fewer than ``window + horizon`` years before the origin) the baseline is NaN for that origin.
    Scores are on log levels (relative errors), so large regions do not dominate.

    Parameters
    ----------
    panel : pandas.DataFrame
        Long ``region, year, value`` [positive levels]; missing values absent or NaN.
    origins : iterable of int
        Origin years.
    horizon, window : int
        [years].
    priors : optional
        As in :func:`forecast`.
    use_peers : bool
        Shrink toward the panel's other regions (default) or treat each region alone.
    """
    pri = load_priors(priors)
    wide = _panel_wide(panel)
    logs = np.log(wide.to_numpy())
    col = {int(y): j for j, y in enumerate(wide.columns)}
    year_effects = pd.Series(np.nanmean(np.diff(logs, axis=1), axis=0), index=wide.columns[1:])
    frames, skipped = [], 0
    for o in (int(v) for v in origins):
        if o - window not in col or o + horizon not in col:
            raise ValueError(f"origins: {o} needs years {o - window} and {o + horizon} in the panel")
        past = logs[:, col[o - window]:col[o] + 1]
        y = logs[:, col[o + horizon]]
        ok = np.isfinite(past).all(axis=1) & np.isfinite(y)
        skipped += int((~ok).sum())
        past, y = past[ok], y[ok]
        g = (past[:, -1] - past[:, 0]) / window
        if use_peers:
            n = len(g)
            m = (g.sum() - g) / (n - 1)
            rel, _, _ = reliability_from_panel(past)
            ye = year_effects.loc[:o]
            vc = year_effect_common_variance(ye, window, horizon, float(pri.drift_h(horizon)))
            centre, sd, _ = level_params(g, horizon, pri, m, rel, vc)
        else:
            centre, sd, _ = level_params(g, horizon, pri)
        mu = past[:, -1] + horizon * centre
        sdl = horizon * np.broadcast_to(sd, mu.shape)
        model = _normal_scores(y, mu, sdl)
        base = _baseline_scores(panel, o, horizon, window, wide.index[ok], y)
        frame = pd.DataFrame({"region": wide.index[ok], "origin_year": o, "outcome_year": o + horizon,
                              "outcome_log": y, "centre_log": mu, "sd_log": sdl, **model})
        for key, val in base.items():
            frame["baseline_" + key] = val
        frames.append(frame)
    return PanelBacktest(table=pd.concat(frames, ignore_index=True), horizon=horizon, window=window,
                         n_skipped=skipped)
