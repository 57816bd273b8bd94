r"""The single-series deceleration model and its priors (the trend baseline of the backtests).

One job: given a short annual history (usually 2–6 points), say how the series is likely to end up
in a later year, with honest spreads. With ``series_class=`` the forecast is the plan engine's for a
series of that reference class (:mod:`~xiangxi_econ.probability.series_classes`,
:mod:`~xiangxi_econ.probability.target_models`:
China's growth as the common factor, the series' deviation pooled with its class) — the distribution
:func:`~xiangxi_econ.simulate` gives a target of that class. Without it, the model below. The
centre and the spreads of levels come from priors calibrated on rolling-origin vintages of Chinese
prefecture nominal GDP, 1995–2018 (``benchmarks/calibrate_priors.py`` writes
``data/forecast_priors.json``); the short own history only places the series within that reference class.

Levels (``kind="level"``, positive; modelled on log levels)
----------------------------------------------------------
Own average log growth over the used span, from the first used year :math:`f` to the origin
:math:`o` (the last observation at or before ``as_of_year``; gaps allowed, the span is the actual
number of years :math:`k = o - f`):

.. math:: \bar g = \frac{\ln x_o - \ln x_f}{k} \quad \text{[log points per year]}

The average log growth over the :math:`h = T - o` years to the target year :math:`T` is

.. math::

    \bar g_{o\to T} = m + \delta_h + w_h(\bar g - m) + c + e, \qquad
    c \sim N(0, \sigma_c^2(h)), \quad e \sim N(0, \sigma_e^2(h))

with :math:`m` the peers' average log growth over the same years (empirical Bayes, Efron & Morris
1975), :math:`\delta_h` the calibrated common drift (mean change of the cross-sectional average
growth from one window to the next), :math:`c` the common (vintage) shock shared by all regions and
:math:`e` the idiosyncratic error. The shrink weight is persistence times reliability,

.. math::

    w_h = \rho_h\, r, \qquad r = \frac{\tau^2}{\tau^2 + s^2/k}, \qquad \rho_h = \beta_h / r_{\rm ref}

where :math:`\tau^2` is the between-peer variance of true average growth, :math:`s^2` the within-peer
variance of annual growth (both from ``peers``), :math:`\beta_h` the calibrated within-vintage slope
of future on past average growth and :math:`r_{\rm ref}` the reliability of the calibration panel.
Growth persistence is low (Pritchett & Summers 2014): :math:`\beta_5` is about 0.1, so most of a
region's past deviation from its peers does not carry into the next five years.

Without peers :math:`m` is unknown: the centre is :math:`\bar g + \delta_h` and the idiosyncratic
variance is the calibrated variance of :math:`\bar g_{o\to T} - \bar g` around the vintage mean
(:math:`\sigma_{e,\rm alone}^2`), which contains the unpredictable part of the regression to the
peers' mean. Each variance component depends on the horizon as

.. math:: \sigma^2(h) = v_a / h + v_p + v_t\, h

(annual noise averaging out, a persistent growth difference, a drifting growth rate — the three
behaviours of Harvey's 1989 local linear trend), fitted by non-negative least squares on
:math:`h = 1..5`. The predictive standard deviation of the average rate is
:math:`\sigma = \sqrt{\sigma_c^2 + \sigma_e^2 + {\rm se}(\delta_h)^2}`, the last term being
parameter uncertainty of the drift. Level at :math:`T`:
:math:`x_T = x_o \exp(h\, \bar g_{o\to T})`, log-normal.

Shares and rates (``kind="share"`` or ``"rate"``, 0–100 percent; modelled in percentage points)
----------------------------------------------------------------------------------------------
Own average change :math:`\bar d = (x_o - x_f)/k` [pp per year] continued with damping
:math:`\phi`; annual steps with spread :math:`s` pooled from the own annual changes and a class
default :math:`s_0` (``volatility``: slow, medium, fast) with :math:`\nu = 2` pseudo-observations,

.. math::

    s^2 = \frac{\sum_j (d_j - \bar d)^2 + \nu s_0^2}{(n_d - 1)_+ + \nu}, \qquad
    x_T = \mathrm{clip}_{[0,100]}\big(x_o + h\phi\bar d + \varepsilon\big), \qquad
    \varepsilon \sim N\big(0,\; h s^2 + h^2 s^2 / k\big).

The first term is the random-walk spread of the steps, the second the uncertainty of the estimated
pace. Percentage points (with clipping) rather than a logit keep spreads in the unit the plans use;
near 0 or 100 the clipped draws pile up at the bound, which the probabilities honour.

Everything is Gaussian before a monotone transform (exp, clip), so quantiles at every year of the
path are the transforms of the normal quantiles; ``draws`` share one standard normal vector
:math:`z` (seeded), so the path is comonotone and the end point equals ``draws``.

Long histories: the centre still uses the last ``window`` years. On the calibration panel longer
windows carry no more persistence (the within-vintage slope at :math:`h=5` is 0.15, 0.18, 0.12 for
1-, 3- and 5-year windows) and a trend model fitted to 10–20 years of Chinese growth extrapolates
exactly the boom that then decelerated, so statsmodels trend models are not used.

References
----------
Efron, B. and Morris, C. (1975), "Data analysis using Stein's estimator and its generalizations",
JASA 70. Gneiting, T. and Raftery, A. (2007), "Strictly proper scoring rules, prediction, and
estimation", JASA 102. Harvey, A. (1989), *Forecasting, Structural Time Series Models and the Kalman
Filter*. Hyndman, R. J. and Athanasopoulos, G. (2021), *Forecasting: Principles and Practice*, 3rd
ed. (FPP3), ch. 5.5 (prediction intervals) and 5.10 (time-series cross-validation). Pritchett, L.
and Summers, L. (2014), "Asiaphoria meets regression to the mean", NBER w20573. Tashman, L. (2000),
"Out-of-sample tests of forecasting accuracy", IJF 16.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Mapping

import numpy as np
import pandas as pd

__all__ = ["ForecastPriors", "load_priors", "priors_as_of", "variance_h", "level_params", "share_params",
           "reliability_from_panel", "year_effect_common_variance"]

PRIORS_FILE = "forecast_priors.json"
KINDS = ("level", "share", "rate")
BOUNDED_KINDS = ("share", "rate")
PATH_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
PINBALL_QUANTILES = tuple(np.round(np.arange(0.05, 0.951, 0.05), 2))
PSEUDO_OBS = 2.0
"""Weight of the class default spread of a share or rate, in annual-change observations."""
PERCENT_UNITS = ("%", "percent", "pct", "pp", "百分比")


# --------------------------------------------------------------------------- priors
@dataclass(frozen=True)
class ForecastPriors:
    """The calibrated numbers the forecaster needs (see :mod:`xiangxi_econ.probability.forecasting`).

    Attributes
    ----------
    window_years : int
        Length of the past window the priors were estimated with [years].
    beta : tuple of float
        Within-vintage slope of future on past average log growth for h = 1, 2, ... [1].
    reliability_ref : float
        Reliability :math:`r_{\\rm ref}` of the past average in the calibration panel [1].
    drift : tuple of float
        Common drift :math:`\\delta_h` of average log growth for h = 1, 2, ... [log points per year];
        zeros when the JSON says ``drift_in_centre: false`` (the shipped choice, see the module notes).
    drift_se : tuple of float
        Standard error of ``drift`` [log points per year].
    var_common, var_idio_peers, var_idio_alone : tuple of float
        Coefficients :math:`(v_a, v_p, v_t)` of :math:`\\sigma^2(h) = v_a/h + v_p + v_t h`
        [(log points per year)^2].
    share : dict
        ``damping`` :math:`\\phi` [1] and ``volatility_pp`` class defaults {slow, medium, fast}
        [pp per year] for shares and rates.
    provenance : dict
        Where the numbers come from (panel, vintages, screening, script).
    """

    window_years: int
    beta: tuple[float, ...]
    reliability_ref: float
    drift: tuple[float, ...]
    drift_se: tuple[float, ...]
    var_common: tuple[float, float, float]
    var_idio_peers: tuple[float, float, float]
    var_idio_alone: tuple[float, float, float]
    share: Mapping[str, Any] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ForecastPriors":
        """Build from the JSON structure written by ``benchmarks/calibrate_priors.py``."""
        lv = data["level"]
        drift = [float(v) for v in lv["drift"]]
        if not lv.get("drift_in_centre", True):
            drift = [0.0] * len(drift)
        return cls(
            window_years=int(data["window_years"]),
            beta=tuple(float(v) for v in lv["beta"]),
            reliability_ref=float(lv["reliability_ref"]),
            drift=tuple(drift),
            drift_se=tuple(float(v) for v in lv["drift_se"]),
            var_common=_three(lv["var_common"]),
            var_idio_peers=_three(lv["var_idio_peers"]),
            var_idio_alone=_three(lv["var_idio_alone"]),
            share=dict(data.get("share", {})),
            provenance=dict(data.get("provenance", {})),
        )

    # -- horizon functions (vectorised over h); h beyond the calibrated range is extrapolated
    def beta_h(self, h: Any) -> np.ndarray:
        """:math:`\\beta_h`; beyond the last calibrated horizon H, :math:`\\beta_H H / h` (a deviation
        that has died out by year H, averaged over h years) [1]."""
        return _table(self.beta, h, fade=True)

    def drift_h(self, h: Any) -> np.ndarray:
        """:math:`\\delta_h`, held at the last calibrated value beyond it [log points per year]."""
        return _table(self.drift, h, fade=False)

    def drift_se_h(self, h: Any) -> np.ndarray:
        """Standard error of :math:`\\delta_h` [log points per year]."""
        return _table(self.drift_se, h, fade=False)


def _three(values: Any) -> tuple[float, float, float]:
    if isinstance(values, Mapping):
        values = (values["annual"], values["persistent"], values["trend"])
    a, p, t = (float(v) for v in values)
    return (a, p, t)


def _table(values: tuple[float, ...], h: Any, fade: bool) -> np.ndarray:
    h = np.asarray(h, dtype=float)
    arr = np.asarray(values, dtype=float)
    last = len(arr)
    idx = np.clip(np.round(h).astype(int), 1, last) - 1
    out = arr[idx]
    if fade:
        out = np.where(h > last, arr[-1] * last / np.maximum(h, 1.0), out)
    return out


def variance_h(coefs: tuple[float, float, float], h: Any) -> np.ndarray:
    """:math:`\\sigma^2(h) = v_a/h + v_p + v_t h` [(log points per year)^2]."""
    h = np.asarray(h, dtype=float)
    va, vp, vt = coefs
    return va / h + vp + vt * h


#: Outcome years of the earlier priors shipped beside the main file (``forecast_priors_<year>.json``).
PRIOR_VINTAGES = (2015,)
#: Last outcome year of the main priors file.
MAIN_PRIORS_YEAR = 2018


def priors_as_of(as_of_year: int | None) -> str:
    """The shipped priors file a forecast made in ``as_of_year`` may use: the latest whose calibration
    outcomes all fall in or before that year (so a backtest never sees the future), else the main file."""
    if as_of_year is not None:
        usable = [y for y in PRIOR_VINTAGES if y <= as_of_year]
        if not usable:
            raise ValueError(f"as_of_year={as_of_year}: the earliest shipped priors use outcomes up to "
                             f"{min(PRIOR_VINTAGES)}; a forecast made before then cannot use them without seeing "
                             "the future (pass priors= estimated from data up to that year)")
        if as_of_year < MAIN_PRIORS_YEAR:
            return f"forecast_priors_{max(usable)}.json"
    return PRIORS_FILE


def load_priors(priors: ForecastPriors | Mapping[str, Any] | str | None = None,
                as_of_year: int | None = None) -> ForecastPriors:
    """The shipped priors (``xiangxi_econ/data/forecast_priors.json``, or with ``as_of_year`` before
    2018 the earlier vintage of :func:`priors_as_of`), a dict of the same shape, a path to such a JSON
    file, or ``priors`` itself when already a :class:`ForecastPriors`."""
    if isinstance(priors, ForecastPriors):
        return priors
    if isinstance(priors, Mapping):
        return ForecastPriors.from_dict(priors)
    if priors is None:
        name = priors_as_of(as_of_year)
        text = resources.files("xiangxi_econ").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    else:
        with open(priors, encoding="utf-8") as fh:
            text = fh.read()
    return ForecastPriors.from_dict(json.loads(text))


# --------------------------------------------------------------------------- pure maths
def level_params(g_own: Any, horizon: Any, priors: ForecastPriors, m_peers: Any = None,
                 reliability: Any = None, var_common_peers: Any = None) -> tuple[np.ndarray, np.ndarray, float]:
    """Centre and spread of the average log growth to the target year (vectorised).

    Parameters
    ----------
    g_own : array_like
        Own average log growth over the used span [log points per year].
    horizon : array_like
        Years from the origin to the target year [years].
    priors : ForecastPriors
    m_peers : array_like, optional
        Peers' average log growth over the same years [log points per year]; ``None``: no peers.
    reliability : array_like, optional
        :math:`r` of the own past average among the peers [1]; needed with ``m_peers``.
    var_common_peers : array_like, optional
        Common-shock variance estimated from the peers' year effects; the larger of it and the
        prior is used [(log points per year)^2].

    Returns
    -------
    centre_rate : ndarray
        Mean of the average log growth [log points per year].
    sd_rate : ndarray
        Its standard deviation [log points per year].
    weight : float or ndarray
        Shrink weight :math:`w_h` on the own deviation from peers (1 without peers) [1].
    """
    g_own = np.asarray(g_own, dtype=float)
    h = np.asarray(horizon, dtype=float)
    drift = priors.drift_h(h)
    var_c = variance_h(priors.var_common, h)
    if var_common_peers is not None:
        var_c = np.maximum(var_c, np.asarray(var_common_peers, dtype=float))
    if m_peers is None:
        centre = g_own + drift
        var_e = variance_h(priors.var_idio_alone, h)
        weight: Any = 1.0
    else:
        m = np.asarray(m_peers, dtype=float)
        rho = priors.beta_h(h) / priors.reliability_ref
        weight = np.clip(rho * np.asarray(reliability, dtype=float), 0.0, 1.0)
        centre = m + drift + weight * (g_own - m)
        var_e = variance_h(priors.var_idio_peers, h)
    sd = np.sqrt(var_c + var_e + priors.drift_se_h(h) ** 2)
    return centre, sd, weight


def reliability_from_panel(log_wide: np.ndarray) -> tuple[float, float, float]:
    """Empirical-Bayes reliability of a span's average growth across regions (rows).

    ``log_wide`` holds log levels, regions in rows, consecutive years in columns (no NaN). With
    annual growth :math:`g_{jt}` and span :math:`k`: within variance
    :math:`s^2 = \\overline{\\mathrm{var}_t(g_{jt})}`, between variance of the true average
    :math:`\\tau^2 = \\max(\\mathrm{var}_j(\\bar g_j) - s^2/k, 0)`, reliability
    :math:`r = \\tau^2/(\\tau^2 + s^2/k)`.

    Returns
    -------
    reliability [1], tau2, s2 [(log points per year)^2]
    """
    steps = np.diff(log_wide, axis=1)
    k = steps.shape[1]
    gbar = steps.mean(axis=1)
    s2 = float(np.mean(steps.var(axis=1, ddof=1))) if k >= 2 else float("nan")
    between = float(gbar.var(ddof=1)) if len(gbar) >= 2 else float("nan")
    if not np.isfinite(s2):
        return float("nan"), between, s2
    tau2 = max(between - s2 / k, 0.0)
    denom = tau2 + s2 / k
    return (tau2 / denom if denom > 0 else 0.0), tau2, s2


def year_effect_common_variance(year_effects: pd.Series, window: int, horizon: int,
                                drift: float) -> float | None:
    """Common-shock variance from a mean annual-growth series (peers' year effects).

    For every origin t with data t-window..t+horizon:
    :math:`\\Delta_t = \\bar y_{t+1..t+h} - \\bar y_{t-k+1..t} - \\delta_h`; returns the mean of
    :math:`\\Delta_t^2` when there are at least 3 origins, else ``None``
    [(log points per year)^2].
    """
    y = year_effects.dropna()
    changes = []
    for t in y.index:
        past = [t - j for j in range(window)]
        fut = [t + j for j in range(1, horizon + 1)]
        if all(p in y.index for p in past) and all(f in y.index for f in fut):
            changes.append(y.loc[fut].mean() - y.loc[past].mean() - drift)
    if len(changes) < 3:
        return None
    return float(np.mean(np.square(changes)))


def share_params(values: np.ndarray, years: np.ndarray, horizon: Any, priors: ForecastPriors,
                 volatility: str) -> tuple[float, np.ndarray, float, float]:
    """Pace and spread of a share or rate in percentage points.

    Returns
    -------
    pace_pp : float
        Damped own pace :math:`\\phi\\bar d` [pp per year].
    sd_pp : ndarray
        Standard deviation of the value at each horizon, before clipping [pp].
    step_sd_pp : float
        Pooled annual step spread :math:`s` [pp per year].
    damping : float
        :math:`\\phi` [1].
    """
    share = priors.share
    classes = share.get("volatility_pp", {"slow": 0.3, "medium": 1.0, "fast": 3.0})
    if volatility not in classes:
        raise ValueError(f"volatility={volatility!r}: expected one of {sorted(classes)}")
    s0 = float(classes[volatility])
    damping = float(share.get("damping", {}).get(volatility, 1.0))
    span = float(years[-1] - years[0])
    dbar = (values[-1] - values[0]) / span
    consecutive = np.diff(years) == 1
    steps = np.diff(values)[consecutive]
    n_d = len(steps)
    ss = float(np.sum((steps - dbar) ** 2)) if n_d >= 2 else 0.0
    s2 = (ss + PSEUDO_OBS * s0**2) / (max(n_d - 1, 0) + PSEUDO_OBS)
    h = np.asarray(horizon, dtype=float)
    sd = np.sqrt(h * s2 + h**2 * s2 / span)
    return damping * dbar, sd, math.sqrt(s2), damping


# --------------------------------------------------------------------------- validation
