"""National and provincial context: China and Hunan annual series, embedded with their sources.

A forecaster needs the common (national) growth factor as of any origin year without a user's
panel. This module reads ``data/context.csv`` — figures for China and Hunan, each with the public
text it was read in (statistical communiqué 国民经济和社会发展统计公报, the statistics bureau's annual
release, a government work report) and the clause that prints it — and derives annual log growth
from them using only years up to the origin.

The file is derived, never edited by hand: ``python data/build_context.py`` validates the
compilation ``data/context_sources.csv`` (every number printed in its quote, known units, one row
per key) and writes it. Coverage is partial; ``xiangxi_econ/data/README.md`` lists the gaps.

Growth is in log points per year:

.. math::

    g_t = \\ln\\left(1 + \\frac{r_t}{100}\\right) \\quad\\text{for a series printed as a growth rate } r_t\\ [\\%],

    g_t = \\frac{\\ln L_t - \\ln L_s}{t - s} \\quad\\text{for a level } L, \\text{ where } s < t
    \\text{ is the previous year with a value.}

Reference: National Bureau of Statistics of China, *Statistical Communiqué on the National
Economic and Social Development* (annual); GDP revision practice (初步核算 → 初步核实 → 最终核实)
as described in the NBS announcements quoted in the data.

>>> from xiangxi_econ.data.context import load_context, national_growth
>>> float(load_context("china", "gdp_nominal").query("year == 2018")["value"].iloc[0])
900309.0
>>> g = national_growth("gdp_real_growth", as_of_year=2019)
>>> round(float(g[2019]), 6)  # ln(1.061)
0.059212
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import pandas as pd

from ..exceptions import UnknownIndicatorError

__all__ = ["load_context", "national_growth", "CONTEXT_COLUMNS", "LEVEL_BREAKS", "REGIONS", "SERIES_KIND", "VINTAGES"]

#: Columns of :func:`load_context`, in order.
CONTEXT_COLUMNS = ("region", "series", "year", "value", "unit", "price_basis", "vintage", "source", "quote",
                   "note")

#: Regions in the file.
REGIONS = ("china", "hunan")

#: Series id -> kind: ``level`` (stock or annual flow), ``growth_pct`` (growth over the previous
#: year in percent), ``share`` (percent of a whole; its change is in percentage points).
SERIES_KIND = {
    "gdp_nominal": "level",
    "gdp_real_growth": "growth_pct",
    "cpi_inflation": "growth_pct",
    "disposable_income": "level",
    "disposable_income_urban": "level",
    "disposable_income_rural": "level",
    "disposable_income_growth": "growth_pct",
    "disposable_income_urban_growth": "growth_pct",
    "disposable_income_rural_growth": "growth_pct",
    "urbanisation_rate": "share",
    "total_population": "level",
    "urban_population": "level",
    "rural_population": "level",
    "domestic_tourism_trips": "level",
    "domestic_tourism_spending": "level",
}

#: Releases of a figure, earliest first; a later release supersedes an earlier one. ``census_revision``
#: is a level revised onto the basis of a later economic census (2004 GDP after the 1st census).
VINTAGES = ("first_release", "initial_revision", "final", "census_revision")

#: Level series whose published figures change basis at an economic census: series -> {year: why}.
#: The first release of the census year's level (2004, 2008, 2013, 2018, 2023) predates the revision;
#: the next year's figures are on the revised basis, so a log difference across it mixes revision with
#: growth. :func:`national_growth` gives NaN for a growth that spans one, unless the earlier level is
#: itself a ``census_revision`` (already on the new basis). Real growth, at comparable prices, is not
#: affected: use ``gdp_real_growth``. Applies to China and Hunan alike.
LEVEL_BREAKS: dict[str, dict[int, str]] = {
    "gdp_nominal": {
        2005: "1st national economic census (2004): 2005 figures are on the revised basis, 2004's first release is not",
        2009: "2nd national economic census (2008): 2009 figures are on the revised basis, 2008's first release is not",
        2014: "3rd national economic census (2013): 2014 figures are on the revised basis, 2013's first release is not",
        2019: "4th national economic census (2018): 2019 figures are on the revised basis, 2018's first release is not",
        2024: "5th national economic census (2023): 2024 figures are on the revised basis, 2023's first release is not",
    },
}


class UnknownContextError(UnknownIndicatorError):
    """A region or series that the embedded context does not hold; the message names the choices."""

    def __init__(self, ident: str, known: tuple[str, ...], what: str) -> None:
        super().__init__(ident, known, what)
        self.message = f"no {what} '{ident}' in the embedded context; choose one of {', '.join(known)}"
        self.args = (self.message,)


@functools.lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    path = resources.files("xiangxi_econ").joinpath("data").joinpath("context.csv")
    with path.open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    return df[list(CONTEXT_COLUMNS)]


def _check_choice(value: str | None, known: tuple[str, ...], what: str) -> None:
    if value is not None and value not in known:
        raise UnknownContextError(str(value), known, what)


def load_context(region: str | None = None, series: str | None = None) -> pd.DataFrame:
    """China and Hunan annual figures with their sources, as a tidy table.

    Parameters
    ----------
    region : {"china", "hunan"}, optional
        Keep one region; all when ``None``.
    series : str, optional
        Keep one series (a key of :data:`SERIES_KIND`); all when ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CONTEXT_COLUMNS`: ``region``, ``series``, ``year`` [calendar year],
        ``value`` [in ``unit``: 亿元 = 1e8 CNY, 元, %, 万人 = 1e4 persons, 亿人次 = 1e8 trips],
        ``unit``, ``price_basis`` (``current``, ``comparable`` or ``na``), ``vintage``
        (:data:`VINTAGES`), ``source`` (document and where it was read), ``quote`` (the clause that
        prints the number) and ``note`` (conversions, definitions). One row per region, series, year
        and vintage; a new copy on every call.

    Raises
    ------
    UnknownContextError
        An unknown region or series (a ``KeyError``); the message lists the choices.

    Examples
    --------
    >>> from xiangxi_econ.data.context import load_context
    >>> load_context("hunan", "gdp_real_growth")[["year", "value"]].values.tolist()[:3]
    [[2018.0, 7.8], [2019.0, 7.6], [2020.0, 3.8]]
    """
    _check_choice(region, REGIONS, "region")
    _check_choice(series, tuple(SERIES_KIND), "series")
    df = _read()
    mask = pd.Series(True, index=df.index)
    if region is not None:
        mask &= df["region"] == region
    if series is not None:
        mask &= df["series"] == series
    return df[mask].reset_index(drop=True).copy()


def _latest_vintage(df: pd.DataFrame) -> pd.DataFrame:
    """Per year, the value and vintage of the latest release (columns ``value``, ``vintage``; index year)."""
    rank = df["vintage"].map({v: i for i, v in enumerate(VINTAGES)})
    best = df.assign(_rank=rank).sort_values(["year", "_rank"]).groupby("year")[["value", "vintage"]].last()
    return best.astype({"value": float})


def _basis(years: pd.Index, vintages: pd.Series, breaks: dict[int, str]) -> pd.Series:
    """Census basis of each level: the number of breaks at or before its year, plus one for a value
    already revised onto the next census's basis (``census_revision``)."""
    marks = pd.Series(sorted(breaks), dtype=int).to_numpy()
    n = (marks[None, :] <= years.to_numpy()[:, None]).sum(axis=1)
    return pd.Series(n + (vintages.to_numpy() == "census_revision"), index=years)


def national_growth(series: str = "gdp_nominal", as_of_year: int | None = None,
                    region: str = "china") -> pd.Series:
    """Annual log growth of a national (or provincial) series, using no year after ``as_of_year``.

    For a series printed as a growth rate :math:`r_t` [%] (``gdp_real_growth``, ``cpi_inflation``)

    .. math:: g_t = \\ln(1 + r_t / 100);

    for a level :math:`L` (``gdp_nominal``, incomes, populations, tourism)

    .. math:: g_t = \\frac{\\ln L_t - \\ln L_s}{t - s},

    where :math:`s` is the previous year with a value (the growth is annualised over a gap, and is
    labelled with the later year). A level growth that spans an economic-census change of basis
    (:data:`LEVEL_BREAKS`: GDP in 2005, 2009, 2014, 2019 and 2024) is NaN, not a number mixing
    revision and growth, unless :math:`L_s` is a ``census_revision`` (already on the new basis): the
    basis of a level is the number of breaks :math:`b \\le s`, plus one for a census revision, and
    :math:`g_t` is a number only when :math:`L_s` and :math:`L_t` share it.

    Only rows with ``year <= as_of_year`` are read, so a value for a
    later year can never change the result. Where a year has several releases, the latest is used
    (final, then initial revision, then first release): a level growth may therefore compare a first
    release with a revised figure of the year before, as NBS does, but also two figures of different
    revisions across a gap; read ``load_context`` for the vintage of each value.

    Parameters
    ----------
    series : str, default "gdp_nominal"
        A ``level`` or ``growth_pct`` series of :data:`SERIES_KIND`.
    as_of_year : int, optional
        Last year read [calendar year]; all years when ``None``.
    region : {"china", "hunan"}, default "china"
        The region.

    Returns
    -------
    pandas.Series
        Log growth [log points per year, a fraction: 0.05 is about 5 %], float, indexed by ``year``,
        named ``"<region>_<series>_log_growth"``. Empty when fewer years than needed are at hand.

    Raises
    ------
    UnknownContextError
        An unknown series or region.
    ValueError
        A ``share`` series (urbanisation: its change is in percentage points, not a growth rate).
    TypeError
        ``as_of_year`` is not an integer.

    Examples
    --------
    >>> from xiangxi_econ.data.context import national_growth
    >>> g = national_growth("gdp_nominal", as_of_year=2018)
    >>> round(float(g[2018]), 6)  # ln(900309 / 827122), NBS first releases for 2018 and 2017
    0.084786
    >>> 2019 in g.index
    False
    >>> import math
    >>> math.isnan(national_growth("gdp_nominal")[2019])  # the 4th economic census lies between
    True
    """
    _check_choice(region, REGIONS, "region")
    _check_choice(series, tuple(SERIES_KIND), "series")
    if as_of_year is not None and (isinstance(as_of_year, bool) or not isinstance(as_of_year, int)):
        raise TypeError(f"as_of_year must be an integer year or None, got {as_of_year!r}")
    kind = SERIES_KIND[series]
    if kind == "share":
        raise ValueError(f"{series} is a share in percent: its change is in percentage points, not a growth "
                         f"rate; read its levels with load_context({region!r}, {series!r})")
    df = load_context(region, series)
    if as_of_year is not None:
        df = df[df["year"] <= as_of_year]
    latest = _latest_vintage(df)
    values = latest["value"]
    name = f"{region}_{series}_log_growth"
    if kind == "growth_pct":
        out = pd.Series(np.log1p(values.to_numpy() / 100.0), index=values.index, dtype=float, name=name)
    else:
        basis = _basis(values.index, latest["vintage"], LEVEL_BREAKS.get(series, {})).to_numpy()
        logs, years = np.log(values.to_numpy()), values.index.to_numpy()
        growth = np.diff(logs) / np.diff(years) if len(years) > 1 else np.empty(0)
        growth = np.where(basis[1:] == basis[:-1], growth, np.nan)
        out = pd.Series(growth, index=pd.Index(years[1:], dtype=int), dtype=float, name=name)
    out.index.name = "year"
    out.attrs.update(unit="log points per year", region=region, series=series)
    return out
