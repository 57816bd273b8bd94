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

__all__ = ["LOOKBACK", "SCALES", "SLOW_QUANTITY_SD", "class_vintage", "load_reference_classes", "ratio_marginal"]

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
                   limits: tuple[float, float] = (0.0, 100.0)) -> Marginal:
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
    if scale is None:  # slow quantity: no panel anywhere
        step = SLOW_QUANTITY_SD
        pace = own if np.isfinite(own) else 0.0
        if not np.isfinite(own):
            notes.append("one value: no own pace and no panel of this quantity, so no class pace either (the "
                         "centre stays at the last value; assumed)")
        sd_h = step * np.sqrt(hs + hs ** 2 / max(k, 1.0))
        source = (f"assumed: {step} log points a year step spread (no panel of this quantity), own pace over "
                  f"{k:g} years")
        vintage = None
        phi = 1.0
    else:
        vintage, est = class_vintage(scale, as_of_year)
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
        if transform != SCALES[class_name][1]:
            # the panel's spread is on the logit scale; at a bound carry it to pp at 50%
            sd_h = sd_h * 25.0
    centre = np.full(H, pace)
    resid = (sd_h / hs)[:, None] * _normal_grid()[None, :]
    used = tuple(int(t) for t in ys)
    return Marginal(transform=transform, base=base, origin=origin, centre=centre, sigma_common=np.zeros(H),
                    dof=np.full(H, np.inf), resid=resid, limits=limits, series_class=class_name,
                    model=f"own scale ({transform}): pace {'x persistence ' if scale else ''}within the last "
                          f"segment, class '{class_name}'",
                    years_used=used, note="; ".join(notes),
                    details={"own_pace": own, "pace": pace, "persistence": phi, "years_of_pace": k,
                             "vintage": vintage, "sd_h": np.asarray(sd_h).tolist(), "spread_source": source})
