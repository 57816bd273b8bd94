r"""Ratios, intensities, sector shares and slow quantities on their own scales, from panel-estimated classes.

One job: the predictive :class:`~xiangxi_econ.probability.target_models.Marginal` of a series that is a
ratio of two parts (R&D intensity, water use or energy per unit of GDP, trade dependence, a sector's
share of GDP), a slowly moving share (pension coverage, forest cover) or a slow quantity measured in
years (schooling, life expectancy), from the last value at or before ``as_of_year`` and the pace
**within its statistical segment** (never across a break). None of these is a level growing with
GDP: each is forecast on its own scale, so scaling GDP's path never moves it.

Rule (one per class; :data:`SCALES`)
------------------------------------
With :math:`x = g(\text{value})` on the class's scale (``log`` for ratios, ``logit`` for slow shares,
``pp`` for sector shares, ``log`` for slow quantities), the own pace
:math:`p = (x_o - x_{o'})/(o - o')` over the comparable values of the last segment within
:data:`LOOKBACK` years, and the class's vintage :math:`V \le` ``as_of_year``
(``reference_classes.json``, built by ``data/build_reference_classes.py`` from the 300-city panel):

.. math::

    x_{o+h} = x_o + h\,c + e_h, \qquad c = \phi_V\,p \;(\text{no own pace: } c = \phi_V \bar p_V),\qquad
    \operatorname{sd}(e_h) = s_{V,h}\sqrt{1 + 1/k},

:math:`\phi_V`, :math:`\bar p_V` and :math:`s_{V,h}` the class's persistence, pace and error spread
at horizon :math:`h` (held at :math:`h = 5` beyond it, grown with :math:`\sqrt{h/5}`), :math:`k` the
years of own pace (0 without one: the spread doubles in variance). Slow quantities in years have no
panel: their step spread :data:`SLOW_QUANTITY_SD` is an assumption, said in ``spread_source``.

References
----------
United Nations (2019), *World Urbanization Prospects 2018: Methodology* (logit scale of shares);
Gneiting, T. and Raftery, A. (2007), JASA 102.
"""

from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import Any

import numpy as np

from .target_models import GRID, Marginal

__all__ = ["LOOKBACK", "NATIONAL_SLOW", "SCALES", "SLOW_QUANTITY_SD", "SLOW_STEP_SD", "SLOW_SUBKIND", "class_vintage",
           "load_reference_classes", "ratio_marginal"]

LOOKBACK = 10
"""Years of own history behind a pace [years]."""
SLOW_QUANTITY_SD = 0.005
"""Assumed sd of a slow quantity's annual log step (schooling years, life expectancy) [log points per
year]: half a percent a year, a quarter of GDP's (no panel of these exists)."""

#: class name -> (scale of the class's panel estimates, transform of the marginal)
SCALES = {"ratio": ("ratio", "log"), "slow_share": ("slow_logit", "logit"), "share": ("share", "pp"),
          "slow_quantity": (None, "log")}

_NORMAL = None


def _normal_grid() -> np.ndarray:
    global _NORMAL
    if _NORMAL is None:
        from scipy import special

        _NORMAL = special.ndtri((np.arange(GRID) + 0.5) / GRID)
    return _NORMAL


@functools.lru_cache(maxsize=1)
def load_reference_classes() -> dict:
    """The panel-estimated classes by vintage (``xiangxi_econ/data/reference_classes.json``)."""
    text = resources.files("xiangxi_econ.data").joinpath("reference_classes.json").read_text(encoding="utf-8")
    return json.loads(text)


def class_vintage(scale: str, as_of_year: int) -> tuple[int, dict]:
    """The latest vintage :math:`\\le` ``as_of_year`` of a class's estimates.

    Raises
    ------
    ValueError
        Before the earliest vintage, with the reason.
    """
    vint = sorted(int(v) for v in load_reference_classes()["vintages"])
    ok = [v for v in vint if v <= int(as_of_year)]
    if not ok:
        raise ValueError(f"as of {as_of_year}: the {scale} class is estimated from panel outcomes up to {vint[0]} at "
                         f"the earliest, so a forecast made in {as_of_year} would see the future")
    v = ok[-1]
    return v, load_reference_classes()["vintages"][str(v)][scale]


def _to_scale(transform: str, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if transform == "log":
        return np.log(x)
    if transform == "logit":
        c = np.clip(x, 1e-6, 100 - 1e-6)
        return np.log(c / (100 - c))
    return x


def ratio_marginal(years: Any, values: Any, segments: Any, class_name: str, as_of_year: int, horizon: int,
                   limits: tuple[float, float] = (0.0, 100.0), series_id: str = "") -> Marginal:
    """The :class:`Marginal` of a ratio, slow share, sector share or slow quantity (module docstring).

    Parameters
    ----------
    years, values, segments : array_like
        The series and each value's statistical segment; values after ``as_of_year`` are ignored.
    class_name : {'ratio', 'slow_share', 'share', 'slow_quantity'}
    as_of_year, horizon : int
        Information year; years after the last value [years].
    limits : (float, float)
        Bounds of the value [unit].
    series_id : str, optional
        The series (slow shares and quantities: its national counterpart and sub-kind,
        :data:`NATIONAL_SLOW`, :data:`SLOW_SUBKIND`).
    """
    scale, transform = SCALES[class_name]
    y = np.asarray(years, dtype=int)
    v = np.asarray(values, dtype=float)
    s = np.asarray(segments, dtype=int)
    keep = (y <= int(as_of_year)) & np.isfinite(v)
    y, v, s = y[keep], v[keep], s[keep]
    if not len(y):
        raise ValueError(f"no value at or before {as_of_year}")
    if transform == "log" and (v <= 0).any():
        raise ValueError(f"a {class_name} must be positive on its log scale")
    if transform == "logit" and not (0 < v[-1] < 100):
        transform = "pp"  # a share at a bound has no logit: its own scale in pp
    H = int(horizon)
    if H < 1:
        raise ValueError(f"horizon must be at least one year; got {horizon}")
    origin, base = int(y[-1]), float(v[-1])
    last = (s == s[-1]) & (y >= origin - LOOKBACK)
    ys, xs = y[last], _to_scale(transform, v[last])
    k = float(ys[-1] - ys[0]) if len(ys) >= 2 else 0.0
    own = float((xs[-1] - xs[0]) / k) if k > 0 else float("nan")
    hs = np.arange(1, H + 1, dtype=float)
    notes = []
    if len(np.unique(s)) > 1:
        notes.append(f"pace within the segment since {int(ys[0])} (a break before it is not crossed)")
    if class_name in ("slow_share", "slow_quantity"):
        pace, sd_h, source, more = _slow_rule(class_name, transform, series_id, y, v, s, last, own, k, hs,
                                              int(as_of_year))
        notes += more
        vintage, phi = None, 1.0
    else:
        vintage, est = class_vintage(str(scale), as_of_year)
        phi = float(est["persistence"])
        spread = np.asarray(est["spread_h"], dtype=float)
        idx = np.minimum(hs.astype(int), len(spread)) - 1
        base_sd = spread[idx] * np.sqrt(np.maximum(hs / len(spread), 1.0))
        if np.isfinite(own):
            pace = phi * own
        else:
            # the rule's prediction for a member whose own pace is unknown: persistence x the class's pace
            pace = phi * float(est["class_pace"] or 0.0)
            notes.append(f"one value: the class's pace ({phi:.3f} x {float(est['class_pace'] or 0.0):.4f}) a year on "
                         f"the {transform} scale, not zero")
        sd_h = base_sd * math.sqrt(1.0 + 1.0 / max(k, 1.0)) if k > 0 else base_sd * math.sqrt(2.0)
        n = int(est["n_h"][min(H, len(spread)) - 1])
        source = (f"estimated on the 300-city panel ({load_reference_classes()['provenance']['scales'][scale]}), "
                  f"vintage {vintage}, n={n}")
    centre = np.full(H, pace)
    resid = (sd_h / hs)[:, None] * _normal_grid()[None, :]
    used = tuple(int(t) for t in ys)
    return Marginal(transform=transform, base=base, origin=origin, centre=centre, sigma_common=np.zeros(H),
                    dof=np.full(H, np.inf), resid=resid, limits=limits, series_class=class_name,
                    model=f"own scale ({transform}): pace {'x persistence ' if vintage is not None else ''}"
                          "within the last "
                          f"segment, class '{class_name}'",
                    years_used=used, note="; ".join(notes),
                    details={"own_pace": own, "pace": pace, "persistence": phi, "years_of_pace": k,
                             "vintage": vintage, "sd_h": np.asarray(sd_h).tolist(), "spread_source": source})


# --------------------------------------------------------------------------- slow shares and quantities
#: China's own figures of the slow series the plans target, as published (year -> value): the class
#: pace a region known from one value takes (the national counterpart moves it, as China's GDP moves a
#: prefecture's). Only values of years up to the forecast's information year are used.
NATIONAL_SLOW: dict[str, dict[str, Any]] = {
    "internet_penetration": {
        "unit": "%", "values": {2006: 10.5, 2007: 16.0, 2008: 22.6, 2009: 28.9, 2010: 34.3, 2011: 38.3, 2012: 42.1,
                                2013: 45.8, 2014: 47.9, 2015: 50.3, 2016: 53.2, 2017: 55.8, 2018: 59.6},
        "source": "CNNIC, Statistical Report on Internet Development in China (January report of each following "
                  "year), internet penetration at the end of the year (2015: 50.3%, 37th report, CNNIC release "
                  "2016-01-27; 2018: 59.6%, 43rd report)"},
    "forest_cover": {
        "unit": "%", "values": {1998: 16.55, 2003: 18.21, 2008: 20.36, 2013: 21.63, 2018: 22.96},
        "source": "National Forestry Administration, 5th-9th National Forest Inventories (year = last year of "
                  "each five-year inventory)"},
    "life_expectancy": {
        "unit": "岁", "values": {1990: 68.55, 2000: 71.40, 2010: 74.83, 2015: 76.34},
        "source": "NBS, population censuses 1990, 2000, 2010 and the 2015 1% population sample survey (2000: 71.40, "
                  "2010: 74.83, NBS release of 2012-08-09; 2015: 76.34, NBS release of 2017-07-25)"},
}

#: Sub-kind of each slow share: ``coverage`` (a programme's take-up rising toward its ceiling:
#: pension coverage, internet penetration) or ``stock`` (an environmental stock that moves well under
#: 1 pp a year: forest cover, water quality). Unlisted slow shares are ``stock``.
SLOW_SUBKIND = {"pension_insurance_coverage": "coverage", "internet_penetration": "coverage",
                "forest_cover": "stock", "surface_water_class3_share": "stock"}

#: Assumed prior sd of a slow series' annual step on its scale, by sub-kind [logit or log points per
#: year], pooled with the series' own annual changes (:data:`~xiangxi_econ.probability.series_classes.PSEUDO_OBS`
#: pseudo-observations): a stock share 0.02 logit (0.5 pp at a 50% share, about 0.45 pp at 70%: China's
#: forest cover rose 0.25-0.43 pp a year between inventories 1998-2013); a coverage share 0.06 logit
#: (1.5 pp at 50%, 0.6 pp at 90%: the logit shrinks steps near the ceiling); a slow quantity 0.005 log
#: points (:data:`SLOW_QUANTITY_SD`). No panel of these series exists: all three are assumptions.
SLOW_STEP_SD = {"stock": 0.02, "coverage": 0.06, "quantity": SLOW_QUANTITY_SD}
NATIONAL_SPAN = 5
"""Years of national history behind a class pace (a plan's length) [years]."""


def _national_pace(series_ids: list[str], transform: str, as_of_year: int) -> tuple[float, str]:
    """Median pace on the class's scale of the national counterparts over their last
    :data:`NATIONAL_SPAN` (or more, to the previous published figure) years up to ``as_of_year``."""
    paces, used = [], []
    for sid in series_ids:
        ref = NATIONAL_SLOW.get(sid)
        if ref is None:
            continue
        yrs = sorted(t for t in ref["values"] if t <= as_of_year)
        if len(yrs) < 2:
            continue
        t1 = yrs[-1]
        t0 = max([t for t in yrs[:-1] if t <= t1 - NATIONAL_SPAN] or [yrs[0]])
        x = _to_scale(transform, np.array([ref["values"][t0], ref["values"][t1]]))
        paces.append(float(x[1] - x[0]) / (t1 - t0))
        used.append(f"China's {sid.replace('_', ' ')} {t0}-{t1} ({ref['source'].split(',')[0]})")
    if not paces:
        return float("nan"), ""
    return float(np.median(paces)), "; ".join(used)


def _slow_rule(class_name: str, transform: str, series_id: str, y: np.ndarray, v: np.ndarray, s: np.ndarray,
               last: np.ndarray, own: float, k: float, hs: np.ndarray,
               as_of_year: int) -> tuple[float, np.ndarray, str, list[str]]:
    r"""Pace and spread of a slow share (logit) or slow quantity (log) — no panel of these exists.

    * Pace: the series' own within its last segment (``k`` years); without one (one value, or one
      value after a break) the **class pace** :math:`c`: China's figure of the same series over its
      last five years up to ``as_of_year`` (:data:`NATIONAL_SLOW`), else the median of China's figures
      of the same sub-kind (a proxy, said so), else zero (said so).
    * Step spread :math:`\tau`: :math:`\tau^2 = (m\,\tau_0^2 + \sum_j (\Delta x_j - c_j\Delta t_j)^2)
      / (m + \sum_j \Delta t_j)`, :math:`\tau_0` the sub-kind's assumed step (:data:`SLOW_STEP_SD`),
      :math:`m` = ``PSEUDO_OBS``, :math:`\Delta x_j` over :math:`\Delta t_j` years the series' own
      changes **within each segment, the previous ones included** (a break's jump is never a change,
      but the old method's year-to-year changes are evidence of the series' volatility), :math:`c_j`
      the pace they are measured from (own or class).
    * :math:`\operatorname{sd}(x_{o+h}-x_o) = \sqrt{\tau^2 (h + h^2/k)}` with an own pace;
      :math:`\sqrt{\tau^2 h + (h\,c/2)^2}` with the class pace (a region's pace assumed within
      :math:`\pm c/2` of the nation's, 1 sd).
    """
    from .series_classes import PSEUDO_OBS

    notes: list[str] = []
    sub = "quantity" if class_name == "slow_quantity" else SLOW_SUBKIND.get(series_id, "stock")
    tau0 = SLOW_STEP_SD[sub] * (25.0 if transform == "pp" else 1.0)  # a share at a bound: pp at 50%
    if np.isfinite(own):
        pace, used = own, f"own pace over {k:g} years"
    else:
        pace, used = _national_pace([series_id], transform, as_of_year)
        if not np.isfinite(pace):
            peers = [sid for sid in NATIONAL_SLOW if (
                "quantity" if sid in ("life_expectancy", "schooling_years_working_age")
                else SLOW_SUBKIND.get(sid, "stock")) == sub and sid != series_id]
            pace, used = _national_pace(peers, transform, as_of_year)
            if np.isfinite(pace):
                used = "proxy: " + used
        if np.isfinite(pace):
            notes.append(f"one value in its segment: the class pace {pace:+.4f} a year on the {transform} scale "
                         f"({used}), not zero")
        else:
            pace, used = 0.0, "no national figure up to the information year"
            notes.append(f"one value in its segment and no national figure of its kind up to {as_of_year}: "
                         "the centre stays at the last value (assumed)")
    # own annual changes within every segment (previous segments included: their volatility is comparable)
    dx, dt = [], []
    for seg in np.unique(s):
        yy, xx = y[s == seg], _to_scale(transform, v[s == seg])
        if len(yy) >= 2:
            dx.append(np.diff(xx))
            dt.append(np.diff(yy).astype(float))
    dxs = np.concatenate(dx) if dx else np.zeros(0)
    dts = np.concatenate(dt) if dt else np.zeros(0)
    n_years = float(dts.sum())
    tau2 = (PSEUDO_OBS * tau0 ** 2 + float(np.sum((dxs - pace * dts) ** 2))) / (PSEUDO_OBS + n_years)
    if k > 0:
        sd_h = np.sqrt(tau2 * (hs + hs ** 2 / k))
    else:
        sd_h = np.sqrt(tau2 * hs + (hs * pace / 2.0) ** 2)
    prev = ", previous segment(s) included across the break" if len(np.unique(s)) > 1 and n_years else ""
    unit = "logit" if transform == "logit" else ("pp" if transform == "pp" else "log points")
    source = (f"assumed: {sub} step {tau0:g} {unit} a year, pooled ({PSEUDO_OBS:g} pseudo-years) with {n_years:g} "
              f"years of the series' own changes{prev} -> {math.sqrt(tau2):.4f}; pace: {used}")
    return pace, sd_h, source, notes
