r"""R&D intensity: R&D spending as a share of GDP.

.. math::

    I\,[\%] = 100\,\frac{D}{Y}, \qquad 1 + g_I = \frac{1 + g_D}{1 + g_Y}

with :math:`D` R&D spending (R&D经费投入) and :math:`Y` GDP, both in 亿元 at current prices.
Reaching an intensity target :math:`I^*` after :math:`n` years with GDP growing at :math:`g_Y`
needs R&D spending to grow at

.. math:: g_D = (I^*/I_0)^{1/n}\,(1 + g_Y) - 1

(:func:`xiangxi_econ.maths.identities.numerator_rate_for_ratio`). Xiangxi 2020: intensity 1.2%
(专栏1 序号10, 第一章), GDP 725.11 亿元, so R&D spending 8.70 亿元; the 2% target for 2025
(第九章 第五节) with GDP reaching 1000 亿元 (6.64% a year nominal) needs R&D spending to grow
18.11% a year, while the 12% a year of 专栏2 序号9 leaves the intensity at 1.53%.

Intensity is a current-price ratio: ``gdp_rate`` is nominal, or real together with
``inflation`` (the GDP deflator's growth). :class:`RDIntensityModel` is a preset of
:class:`~xiangxi_econ.results.models.ShareOfGDPModel` (numerator: R&D spending in 亿元), with the R&D names
kept for its methods; the identity itself is declared once in
:data:`xiangxi_econ.maths.identities.IDENTITIES` (``rd_intensity``).

References
----------
.. [1] OECD (2015), *Frascati Manual 2015: Guidelines for Collecting and Reporting Data on
   Research and Experimental Development*, ch. 4: GERD and R&D intensity (GERD as a percentage
   of GDP).
.. [2] National Bureau of Statistics of China, 全国科技经费投入统计公报: R&D经费投入强度 = R&D
   expenditure / GDP.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ._common import ArrayLike, _check_between, _plan_levels, _positive, _scalar
from .ratios import ShareOfGDPModel

if TYPE_CHECKING:  # pragma: no cover
    from ...data.plan import Plan

__all__ = ["RDIntensityModel"]


class RDIntensityModel(ShareOfGDPModel):
    r"""R&D intensity = R&D spending / GDP × 100: a :class:`ShareOfGDPModel` preset.

    .. math:: I = 100\,D/Y, \qquad I_n = I_0 \left(\frac{1 + g_D}{1 + g_Y}\right)^n

    Parameters
    ----------
    intensity_pct : float
        R&D intensity in the base year, above 0 and at most 100 [% of GDP].
    gdp : float
        GDP in the base year, > 0 [亿元, current prices].
    year : int, optional
        Base year [calendar year].
    sources : dict, optional
        Where each component came from (filled by :meth:`from_plan`).

    Attributes
    ----------
    rd_spending : float
        R&D spending in the base year [亿元, current prices].

    References
    ----------
    OECD *Frascati Manual 2015*, ch. 4 (module references).

    Examples
    --------
    >>> rd = RDIntensityModel(1.2, 725.11, 2020)
    >>> round(rd.rd_spending, 2)
    8.7
    >>> print(f"{rd.required_rd_rate(2.0, 0.0664, 5):.2%}")
    18.11%
    >>> round(rd.intensity_after(0.12, 0.0664, 5), 3)
    1.533
    >>> isinstance(rd, ShareOfGDPModel)
    True
    """

    def __init__(self, intensity_pct: float, gdp: float, year: int | None = None,
                 sources: Mapping[str, str] | None = None) -> None:
        x = _scalar("intensity_pct", intensity_pct, "% of GDP")
        _check_between("intensity_pct", x, "% of GDP", 0, 100, hi_open=False)
        y = _positive("gdp", gdp, "亿元")
        super().__init__(x * y / 100.0, y, "亿元", None, "R&D spending", year,  # type: ignore[arg-type]
                         dict(sources or {}))
        object.__setattr__(self, "_intensity_pct", x)

    @property
    def intensity_pct(self) -> float:
        """R&D intensity in the base year [% of GDP]."""
        return float(self._intensity_pct)  # type: ignore[attr-defined]

    @property
    def share_pct(self) -> float:
        """The intensity as given (no round trip through the spending level) [% of GDP]."""
        return self.intensity_pct

    @property
    def rd_spending(self) -> float:
        """R&D spending in the base year, ``intensity_pct × gdp / 100`` [亿元]."""
        return self.numerator

    def required_rd_rate(self, intensity_target: ArrayLike, gdp_rate: ArrayLike, years: ArrayLike, *,
                         inflation: ArrayLike | None = None) -> ArrayLike:
        r"""Nominal growth of R&D spending that takes the intensity to ``intensity_target``
        (:meth:`ShareOfGDPModel.required_numerator_rate`).

        .. math:: g_D = (I^*/I_0)^{1/n}\,(1 + g_Y) - 1

        Parameters
        ----------
        intensity_target : float or array_like
            Target intensity, above 0 and at most 100 [% of GDP].
        gdp_rate, years, inflation
            As in :meth:`ShareOfGDPModel.required_numerator_rate` (GDP growth, nominal unless
            ``inflation`` [fraction per year] is given; horizon [years]).

        Returns
        -------
        float or numpy.ndarray
            Nominal growth of R&D spending [fraction per year].

        Examples
        --------
        2% by the target year (第九章 第五节), with the plan's 7% real growth and 1% inflation, or at
        two nominal GDP rates at once:

        >>> import numpy as np
        >>> rd = RDIntensityModel(1.2, 725.11)
        >>> print(f"{rd.required_rd_rate(2.0, 0.07, 5, inflation=0.01):.2%}")
        19.69%
        >>> rd.required_rd_rate(2.0, np.array([0.0664, 0.08]), 5).round(4)
        array([0.1811, 0.1962])
        """
        _check_between("intensity_target", intensity_target, "% of GDP", 0, 100, hi_open=False)
        return self.required_numerator_rate(intensity_target, gdp_rate, years, inflation=inflation)

    def intensity_after(self, rd_rate: ArrayLike, gdp_rate: ArrayLike, years: ArrayLike, *,
                        inflation: ArrayLike | None = None) -> ArrayLike:
        r"""Intensity after ``years`` of steady growth of R&D spending and GDP
        (:meth:`ShareOfGDPModel.share_after`).

        .. math:: I_n = I_0 \left(\frac{1 + g_D}{1 + g_Y}\right)^n

        Parameters
        ----------
        rd_rate : float or array_like
            Nominal growth of R&D spending [fraction per year].
        gdp_rate : float or array_like
            GDP growth, nominal unless ``inflation`` is given [fraction per year].
        years : float or array_like
            Horizon, >= 0 [years].
        inflation : float or array_like, optional
            GDP deflator growth [fraction per year].

        Returns
        -------
        float or numpy.ndarray
            Intensity [% of GDP].

        Examples
        --------
        R&D spending +12% a year (专栏2 序号9), GDP 6.64% nominal:

        >>> round(RDIntensityModel(1.2, 725.11).intensity_after(0.12, 0.0664, 5), 3)
        1.533
        """
        return self.share_after(rd_rate, gdp_rate, years, inflation=inflation)

    def project(self, rd_rate: float, gdp_rate: float, years: int, *,  # type: ignore[override]
                inflation: float | None = None) -> pd.DataFrame:
        r"""Path of GDP, R&D spending and intensity.

        .. math:: D_k = D_0 (1 + g_D)^k, \quad Y_k = Y_0 (1 + g_Y)^k, \quad I_k = 100 D_k / Y_k

        Parameters
        ----------
        rd_rate : float
            Nominal growth of R&D spending [fraction per year].
        gdp_rate : float
            GDP growth, nominal unless ``inflation`` is given [fraction per year].
        years : int
            Number of years after the base year, whole, >= 0 [years].
        inflation : float, optional
            GDP deflator growth [fraction per year].

        Returns
        -------
        pandas.DataFrame
            Columns ``year, gdp, rd_spending, intensity_pct``; units in ``frame.attrs['units']``.

        Examples
        --------
        >>> RDIntensityModel(1.2, 725.11, 2020).project(0.12, 0.0664, 5).iloc[[0, -1]].round(3)
           year       gdp  rd_spending  intensity_pct
        0  2020   725.110        8.701          1.200
        5  2025  1000.011       15.335          1.533
        """
        frame = super().project(rd_rate, gdp_rate, years, inflation=inflation)
        units = dict(frame.attrs["units"])
        frame = frame.drop(columns="numerator_yi_yuan").rename(
            columns={"numerator": "rd_spending", "share_pct": "intensity_pct"})
        frame.attrs["units"] = {"year": units["year"], "gdp": units["gdp"], "rd_spending": "亿元 (current prices)",
                                "intensity_pct": "% of GDP"}
        return frame

    @classmethod
    def from_plan(cls, plan: Plan, year: int | None = None) -> RDIntensityModel:  # type: ignore[override]
        """Intensity (``rd_intensity``) and GDP (``gdp``) in ``year`` (default: the plan's base year).

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> rd = RDIntensityModel.from_plan(xe.load_plan())
        >>> rd.intensity_pct, rd.gdp, rd.sources["intensity_pct"]
        (1.2, 725.11, '专栏1 序号10')
        """
        year, v, sources = _plan_levels(plan, year, {"intensity_pct": ("rd_intensity", "percent", 1.0),
                                                     "gdp": ("gdp", "CNY", 1e8)})
        return cls(v["intensity_pct"], v["gdp"], year, sources)

    # ---------------------------------------------------------------- display
    def _rows(self) -> list[tuple[str, float, str]]:
        return [("R&D spending", self.rd_spending, "亿元"), ("gdp", self.gdp, "亿元"),
                ("intensity", self.intensity_pct, "% of GDP")]

    def _headline(self) -> str:
        return f"R&D intensity = R&D spending / GDP × 100 ({self._year_text()}, current prices)"
