"""The trending-share reference class: how a share that has been rising keeps rising.

Urbanisation (常住人口城镇化率) and shares like it rise for decades along an S-shaped path. This module
gives a forecaster the class it belongs to, estimated on real data, and the pure function that moves a
share forward with it.

The model is the United Nations urban-rural growth difference (URGD) method. With the share :math:`u`
in percent, :math:`x = \\ln(u/(100-u))` is the log of the urban/rural ratio and its change per year is
the URGD :math:`r` [per year]. A region's own URGD, read from its recent pace, converges linearly to
the class norm for its level (the UN's "hypothetical URGD") over :math:`T = 25` years:

.. math::

    r_0 = \\frac{100\\,p}{u_0 (100 - u_0)}, \\qquad r_n = a + b\\,u_0, \\qquad
    W(h) = \\begin{cases} h - h^2 / (2T) & h \\le T \\\\ T/2 & h > T \\end{cases}

    x_h = x_0 + W(h)\\,r_0 + (h - W(h))\\,r_n, \\qquad
    \\hat u_h = \\frac{100}{1 + e^{-x_h}}, \\qquad
    \\mathrm{sd}(\\hat u_h) = s\\,h\\,\\frac{\\hat u_h (100 - \\hat u_h)}{100}

with :math:`p` the current pace [pp per year]. :math:`a`, :math:`b` and :math:`s` were estimated
(``data/build_reference_shares.py``) on the urban shares of 314 Chinese prefecture-level units in the
2010 and 2020 population censuses: OLS of each prefecture's decade URGD on its 2010 level, and the
residual sd. The centre never leaves (0, 100), and the pace in pp slows as the share nears 100.

A class estimated on outcomes up to 2020 must not inform a forecast made before 2020:
:func:`trending_share_class` refuses such an ``as_of_year`` with the reason, and
:func:`default_trending_share_class` gives the documented fallback, the UN constant-URGD assumption
(United Nations 1974), which needs no data and has no estimated spread.

References
----------
United Nations (1974), *Manual VIII: Methods for Projections of Urban and Rural Population*,
Population Studies 55, New York. United Nations (1980), *Patterns of Urban and Rural Population
Growth*, Population Studies 68, New York. National Research Council (2003), *Cities Transformed*,
Washington DC: National Academies Press, appendix D. Bocquier, P. (2005), "World Urbanization
Prospects: an alternative to the UN model of projection compatible with the mobility transition
theory", *Demographic Research* 12(9), 197-236. Census data: Dong, L., Du, R. and Liu, Y. (2022),
"Mapping evolving population geography in China", SSRN 4049338 (repository ``leiii/census``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

__all__ = [
    "TrendingShareClass",
    "default_trending_share_class",
    "trending_share_class",
    "trending_share_forecast",
]

DATA_FILE = "reference_shares.json"


@dataclass(frozen=True)
class TrendingShareClass:
    """Parameters of the trending-share (URGD) model.

    Attributes
    ----------
    model : str
        ``"urgd_convergence"`` (estimated) or ``"urgd_constant"`` (the UN default).
    norm_intercept : float
        :math:`a`, the class norm URGD at level 0 [per year].
    norm_slope : float
        :math:`b`, change of the norm URGD per pp of level [per year per pp].
    convergence_years : float
        :math:`T`, years over which the own URGD converges to the norm; ``inf``: never [years].
    residual_sd : float
        :math:`s`, sd of a region's decade URGD around the norm; NaN when not estimated [per year].
    n_regions : int
        Regions the parameters were estimated on (0 for the default).
    data_years : tuple of int
        Census years of the data (empty for the default).
    latest_outcome_year : int or None
        Last year of data the parameters use; a forecast made before it may not use them.
    source : str
        Where the data come from.
    """

    model: str
    norm_intercept: float
    norm_slope: float
    convergence_years: float
    residual_sd: float
    n_regions: int
    data_years: tuple[int, ...]
    latest_outcome_year: int | None
    source: str

    def norm(self, level: Any) -> np.ndarray:
        """The class norm URGD :math:`a + b u` at ``level`` [%] [per year]."""
        return self.norm_intercept + self.norm_slope * np.asarray(level, dtype=float)

    def describe(self) -> str:
        """What the class is and what it was estimated on, in plain text."""
        if self.model == "urgd_constant":
            return ("Trending-share class: UN constant URGD (United Nations 1974, Manual VIII): the logit of "
                    "the share keeps the region's own current slope; nothing estimated, no spread (NaN).")
        years = " and ".join(str(y) for y in self.data_years)
        return (f"Trending-share class: UN URGD model estimated on {self.n_regions} Chinese prefecture-level "
                f"units, censuses {years} ({self.source}). Norm URGD = {self.norm_intercept:.4f} "
                f"{self.norm_slope:+.6f} x level [per year]; own URGD converges to it over "
                f"{self.convergence_years:g} years (UN assumption); sd of the logit after h years = "
                f"{self.residual_sd:.4f} x h. Uses outcomes up to {self.latest_outcome_year}.")

    def __str__(self) -> str:
        return self.describe()


def _load() -> dict[str, Any]:
    text = resources.files("xiangxi_econ").joinpath("data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    obj: dict[str, Any] = json.loads(text)
    return obj


def default_trending_share_class() -> TrendingShareClass:
    """The documented default when no estimate may be used: the UN constant-URGD assumption.

    United Nations (1974, Manual VIII): the urban-rural growth difference stays at its current value,
    so the logit of the share moves linearly in time (:math:`T = \\infty`, the norm unused). It has no
    estimated spread: ``residual_sd`` is NaN and so is every sd it gives.
    """
    return TrendingShareClass(model="urgd_constant", norm_intercept=0.0, norm_slope=0.0,
                              convergence_years=math.inf, residual_sd=math.nan, n_regions=0, data_years=(),
                              latest_outcome_year=None,
                              source="United Nations (1974), Manual VIII, constant urban-rural growth difference")


def trending_share_class(as_of_year: int) -> TrendingShareClass:
    """The trending-share class estimated on the 2010 and 2020 censuses, for a forecast made in ``as_of_year``.

    Parameters
    ----------
    as_of_year : int
        Year the forecast is made in [year]. Must be at least the class's latest outcome year (2020).

    Returns
    -------
    TrendingShareClass

    Raises
    ------
    ValueError
        When ``as_of_year`` is before the latest outcome year the class uses (the estimate would carry
        information from after the forecast date); use :func:`default_trending_share_class` then.

    Examples
    --------
    >>> cls = trending_share_class(2021)
    >>> cls.n_regions, cls.latest_outcome_year
    (314, 2020)
    """
    if isinstance(as_of_year, bool) or not isinstance(as_of_year, (int, np.integer)):
        raise TypeError(f"as_of_year: expected a year as an integer, got {as_of_year!r}")
    obj = _load()
    latest = int(obj["latest_outcome_year"])
    if as_of_year < latest:
        raise ValueError(
            f"as_of_year={int(as_of_year)}: the trending-share class was estimated on census outcomes up to "
            f"{latest} ({obj['source']['repository']}, censuses {' and '.join(map(str, obj['data_years']))}), "
            f"which a forecast made in {int(as_of_year)} could not have known; use "
            "default_trending_share_class() (the UN constant-URGD assumption) instead")
    p = obj["parameters"]
    src = obj["source"]
    return TrendingShareClass(
        model=str(obj["model"]),
        norm_intercept=float(p["norm_intercept_per_year"]),
        norm_slope=float(p["norm_slope_per_year_per_pp"]),
        convergence_years=float(p["convergence_years"]),
        residual_sd=float(p["residual_sd_logit_per_year"]),
        n_regions=int(obj["n_prefectures"]),
        data_years=tuple(int(y) for y in obj["data_years"]),
        latest_outcome_year=latest,
        source=f"{src['repository']}/{src['path']} at {src['commit'][:7]}",
    )


def trending_share_forecast(level_now: Any, pace_now: Any, horizon: Any,
                            cls: TrendingShareClass) -> tuple[np.ndarray, np.ndarray]:
    """Centre and sd of a trending share ``horizon`` years ahead (vectorised, broadcasting).

    Parameters
    ----------
    level_now : array_like
        Current level :math:`u_0`, strictly between 0 and 100 [%].
    pace_now : array_like
        Current pace :math:`p` (recent change per year); ``level_now + pace_now`` must stay inside
        (0, 100) [pp per year].
    horizon : array_like
        Years ahead :math:`h`, non-negative [years].
    cls : TrendingShareClass
        From :func:`trending_share_class` or :func:`default_trending_share_class`.

    Returns
    -------
    centre : ndarray
        :math:`\\hat u_h`, always inside (0, 100) [%].
    sd : ndarray
        Its standard deviation, by the delta method (NaN for a class without a spread) [pp].

    Notes
    -----
    With :math:`x = \\ln(u/(100-u))` (United Nations 1974; 1980):

    .. math::

        r_0 = \\frac{100\\,p}{u_0(100-u_0)}, \\quad r_n = a + b u_0, \\quad
        W(h) = h - \\frac{h^2}{2T} \\ (h \\le T), \\quad W(h) = \\frac{T}{2} \\ (h > T)

        x_h = x_0 + W(h) r_0 + (h - W(h)) r_n, \\quad \\hat u_h = \\frac{100}{1+e^{-x_h}}, \\quad
        \\mathrm{sd} = s\\,h\\,\\hat u_h(100-\\hat u_h)/100.

    :math:`r_0` converts the pace into the logit's slope at :math:`u_0` (the derivative
    :math:`dx/du = 100/(u(100-u))`). :math:`W(h)` is the integral over :math:`[0, h]` of the weight
    :math:`\\max(0, 1 - t/T)` on the own URGD, which the UN method lets converge linearly to the norm
    over :math:`T` years (the norm is taken at :math:`u_0`). The sd grows in proportion to :math:`h`
    because the URGD model moves the logit linearly in time.

    Examples
    --------
    The UN default keeps the logit's slope: 50% rising 1 pp a year has :math:`r_0 = 0.04`, so after
    5 years :math:`x = 0.2` and :math:`\\hat u = 100/(1 + e^{-0.2}) = 54.983`:

    >>> centre, sd = trending_share_forecast(50.0, 1.0, 5, default_trending_share_class())
    >>> round(float(centre), 3)
    54.983
    """
    u0, p, h = np.broadcast_arrays(np.asarray(level_now, dtype=float), np.asarray(pace_now, dtype=float),
                                   np.asarray(horizon, dtype=float))
    if not np.all((u0 > 0) & (u0 < 100)):
        raise ValueError("level_now: every level must lie strictly between 0 and 100 [%]; "
                         f"got {u0[~((u0 > 0) & (u0 < 100))].ravel()[:3].tolist()}")
    if not np.all(np.isfinite(p)):
        raise ValueError("pace_now: every pace must be a finite number [pp per year]")
    beyond = (u0 + p >= 100.0) | (u0 + p <= 0.0)
    if np.any(beyond):
        i = int(np.flatnonzero(beyond.ravel())[0])
        raise ValueError(f"pace_now: {p.ravel()[i]:g} pp per year at level_now {u0.ravel()[i]:g}% would leave "
                         "(0, 100) within a year; expected a pace a share can keep for a year")
    if not np.all(np.isfinite(h) & (h >= 0)):
        raise ValueError("horizon: every horizon must be a finite number >= 0 [years]; "
                         f"got {h[~(np.isfinite(h) & (h >= 0))].ravel()[:3].tolist()}")
    t = cls.convergence_years
    r_own = 100.0 * p / (u0 * (100.0 - u0))
    r_norm = cls.norm(u0)
    if math.isinf(t):
        w = h
    else:
        w = np.where(h <= t, h - h * h / (2.0 * t), t / 2.0)
    x = np.log(u0 / (100.0 - u0)) + w * r_own + (h - w) * r_norm
    centre = 100.0 / (1.0 + np.exp(-x))
    sd = cls.residual_sd * h * centre * (100.0 - centre) / 100.0
    return centre, sd
