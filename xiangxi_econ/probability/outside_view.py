r"""The outside view of a growth target: how often real Chinese cities met targets like it.

Two uses of the 1,454 annual real GDP growth targets that 307 prefecture-level cities set in
2003-2008, beside the growth they achieved (Li, Liu, Weng and Zhou 2019):

1. **A reference class a user sees.** For a target :math:`T` [%] set against recent growth
   :math:`g_{-1}` [%], the gap :math:`\delta = T - g_{-1}` [pp] falls in one bin
   :math:`[e_k, e_{k+1})` of :data:`GAP_EDGES_PP`; the answer is how many city targets of years
   :math:`\le 2008` had a gap in that bin and what share of them was met,

   .. math:: \hat p_k = \frac{\#\{i : \delta_i \in [e_k, e_{k+1}),\ g_i \ge T_i\}}
                             {\#\{i : \delta_i \in [e_k, e_{k+1})\}},

   read from the shipped derived table ``xiangxi_econ/data/reference_targets.json`` (counts per bin
   and year; built by ``data/build_reference_targets.py``). :func:`outside_view` returns it.

2. **A backtest of the probability engine.** As of the end of year :math:`Y-1`, each city's
   :math:`P(g_{iY} \ge T_{iY})` from its own real-growth history with every city's history up to
   :math:`Y-1` as peers, scored by the Brier score
   :math:`B = \frac{1}{n}\sum_i (P_i - \mathbb{1}[g_i \ge T_i])^2` against two baselines that use
   only years before :math:`Y`: the base rate (share of earlier targets met) and a logistic
   regression of "met" on the target's gap to last year's growth and to the province's target
   (statsmodels ``Logit``). :func:`backtest_outside_view` does it; the forecaster is a parameter.

Default forecaster
------------------
:class:`FactorGrowthForecaster` is the common-factor model of :mod:`xiangxi_econ.probability.factor`
applied to real growth: every city's real growth is chained into a real-volume index
:math:`x_{it} = \prod_{s \le t}(1 + g_{is}/100)` (no census break: real growth bridges them), the
model is fitted at origin :math:`Y-1` on all cities, horizon 1 (candidate factor windows 1-3 years,
the real-growth series start in 1995), and

.. math:: P(g_{iY} \ge T) = 1 - \frac{1}{M}\sum_k \Phi\!\left(
          \frac{\ln(1 + T/100) - \hat y_i - r_k}{\sigma_c}\right),

with :math:`\sigma_c` the national (common) shock shared by every city. A history whose last value
the model's screen rejects (a log step beyond 0.5) is forecast from the peers alone (:math:`n = 0`).
The probability never rises with the target (the mixture CDF is non-decreasing).

Target-aware forecast
---------------------
:class:`TargetAwareForecaster` is the outside view a user should read: the engine's median growth
combined with the target itself (cities target what they expect to beat) through a least-absolute-
deviation recalibration fitted on earlier target years only, with a national shock whose spread comes
from the provinces' "growth minus target" (:func:`national_shocks`). Backtest 2004-2008 (Brier, pooled
over 1,175 targets): engine 0.200, target-aware 0.155, base rate 0.168, logistic 0.154.

For the class engine itself, pass
``forecaster=lambda h, y, a, peers: xe.forecast(h, y, as_of_year=a, series_class="gdp_growth",
peers=peers)``: any callable ``(history_pct, year, as_of_year, peers) -> object with
.probability(target_pct)`` works.

References
----------
Li, X., Liu, C., Weng, X. and Zhou, L.-A. (2019), "Target setting in tournaments: theory and
evidence from China", *Economic Journal* 129(623), 2888-2915 (the targets and outcomes).
Brier, G. W. (1950), "Verification of forecasts expressed in terms of probability", *Monthly
Weather Review* 78. Gneiting, T. and Raftery, A. E. (2007), "Strictly proper scoring rules,
prediction, and estimation", *JASA* 102. Kahneman, D. and Lovallo, D. (1993), "Timid choices and
bold forecasts", *Management Science* 39 (the outside view).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from .._display import ResultBase, num
from ..exceptions import UserValueError
from ..i18n import summary_text
from ..rules.meaning import meets
from .factor import FactorModelError, fit_factor_model, screen_levels

__all__ = [
    "CITATION",
    "GAP_EDGES_PP",
    "FactorGrowthForecaster",
    "OutsideView",
    "OutsideViewBacktest",
    "TargetAwareForecaster",
    "TargetAwareProbability",
    "backtest_outside_view",
    "brier",
    "load_reference_targets",
    "national_shocks",
    "outside_view",
    "province_real_growth",
    "reference_table",
    "target_rows",
]

CITATION = ("Li, Liu, Weng and Zhou (2019), \"Target setting in tournaments: theory and evidence from China\", "
            "Economic Journal 129")
"""Where the city targets and outcomes come from; cited wherever they are used."""

GAP_EDGES_PP: tuple[float, ...] = (-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0)
"""Inner edges of the bins of the gap :math:`T - g_{-1}` [pp]; bins are left-closed
:math:`[e_k, e_{k+1})`, with open ends below the first and from the last edge. Chosen from the
deciles of the gaps of 2003-2008 (about -4.5 to 1.2 pp), rounded; never from the outcomes."""

DATA_FILE = "reference_targets.json"
TARGET_COLUMNS = ("city_code", "year", "city_target_pct", "province_target_pct", "real_growth_pct")
GROWTH_COLUMNS = ("region", "year", "value")


# --------------------------------------------------------------------------- inputs
def _check_columns(frame: Any, columns: Sequence[str], name: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise UserValueError(name, type(frame).__name__, f"expected a DataFrame with columns {list(columns)}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UserValueError(name, sorted(map(str, frame.columns)),
                             f"missing column(s) {missing}; expected {list(columns)}")
    return frame


def target_rows(targets: pd.DataFrame, growth: pd.DataFrame) -> pd.DataFrame:
    """The targets with last year's growth, the two gaps and whether each was met.

    Parameters
    ----------
    targets : DataFrame
        ``city_code, year, city_target_pct, province_target_pct, real_growth_pct`` [%] (the columns of
        ``city_growth_targets_2003_2008.csv``, Li, Liu, Weng and Zhou 2019).
    growth : DataFrame
        Long real growth of cities: ``region, year, value`` [% a year], ``region`` matching
        ``city_code``.

    Returns
    -------
    DataFrame
        The target columns plus ``last_growth_pct`` (the city's growth in ``year - 1``, NaN when
        unknown), ``gap_last_pp`` :math:`= T - g_{-1}`, ``gap_province_pp`` :math:`= T - T_{prov}` [pp] and
        ``met`` (:math:`g \\ge T`, by :func:`xiangxi_econ.rules.meaning.meets`).
    """
    _check_columns(targets, TARGET_COLUMNS, "targets")
    _check_columns(growth, GROWTH_COLUMNS, "growth")
    out = targets.loc[:, list(TARGET_COLUMNS)].copy()
    for col in TARGET_COLUMNS[2:]:
        vals = pd.to_numeric(out[col], errors="coerce")
        bad = vals.isna() & out[col].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise UserValueError(f"targets[{col!r}] (row {i + 1})", out[col].iloc[i], "expected a number [%]")
        out[col] = vals.astype(float)
    lag = growth.loc[:, ["region", "year", "value"]].rename(columns={"region": "city_code", "value": "last_growth_pct"})
    lag = lag.assign(year=lag["year"].astype(int) + 1, last_growth_pct=pd.to_numeric(lag["last_growth_pct"],
                                                                                     errors="coerce"))
    if lag.duplicated(["city_code", "year"]).any():
        dup = lag.loc[lag.duplicated(["city_code", "year"]), ["city_code", "year"]].iloc[0]
        raise UserValueError("growth", (dup["city_code"], int(dup["year"]) - 1),
                             "two values for this region and year; expected one value per region and year")
    out = out.merge(lag, on=["city_code", "year"], how="left")
    out["gap_last_pp"] = out["city_target_pct"] - out["last_growth_pct"]
    out["gap_province_pp"] = out["city_target_pct"] - out["province_target_pct"]
    n = len(out)
    met = meets(out["real_growth_pct"].to_numpy(), out["city_target_pct"].to_numpy(),
                np.full(n, "at_least"), np.full(n, "increase")).astype(float)
    out["met"] = np.where(out["real_growth_pct"].isna(), np.nan, met)  # 1.0 met, 0.0 missed, NaN unknown
    return out


def gap_bin(gap_pp: Any, edges: Sequence[float] = GAP_EDGES_PP) -> np.ndarray:
    """Index of the left-closed bin :math:`[e_k, e_{k+1})` of each gap (0 = below the first edge) [1]."""
    return np.searchsorted(np.asarray(edges, dtype=float), np.asarray(gap_pp, dtype=float), side="right")


def bin_label(k: int, edges: Sequence[float] = GAP_EDGES_PP) -> str:
    """The bin's interval in pp, e.g. ``"[-1, 0)"``, ``"< -4"``, ``">= 4"``."""
    e = list(edges)
    if k == 0:
        return f"< {e[0]:g}"
    if k == len(e):
        return f">= {e[-1]:g}"
    return f"[{e[k - 1]:g}, {e[k]:g})"


# --------------------------------------------------------------------------- the reference class
def reference_table(rows: pd.DataFrame, edges: Sequence[float] = GAP_EDGES_PP, last_year: int = 2008) -> pd.DataFrame:
    """Counts of targets and targets met by gap bin and year (the shipped derived table).

    Parameters
    ----------
    rows : DataFrame
        From :func:`target_rows` (needs ``year``, ``gap_last_pp``, ``met``).
    edges : sequence of float
        Inner bin edges [pp].
    last_year : int
        Latest target year counted [year].

    Returns
    -------
    DataFrame
        ``bin, lower_pp, upper_pp, year, n, n_met`` for every bin and year with at least one target
        whose gap and outcome are known.
    """
    ok = rows["gap_last_pp"].notna() & rows["met"].notna() & (rows["year"] <= last_year)
    sub = rows.loc[ok]
    k = gap_bin(sub["gap_last_pp"].to_numpy(), edges)
    g = pd.DataFrame({"bin": k, "year": sub["year"].astype(int).to_numpy(),
                      "met": sub["met"].astype(bool).to_numpy()})
    out = g.groupby(["bin", "year"]).agg(n=("met", "size"), n_met=("met", "sum")).reset_index()
    e = np.concatenate([[-np.inf], np.asarray(edges, dtype=float), [np.inf]])
    out.insert(1, "lower_pp", e[out["bin"].to_numpy()])
    out.insert(2, "upper_pp", e[out["bin"].to_numpy() + 1])
    return out.astype({"bin": int, "year": int, "n": int, "n_met": int})


def load_reference_targets() -> dict[str, Any]:
    """The shipped derived table ``reference_targets.json`` (counts by gap bin and year, with provenance)."""
    text = resources.files("xiangxi_econ").joinpath("data").joinpath(DATA_FILE).read_text(encoding="utf-8")
    obj: dict[str, Any] = json.loads(text)
    return obj


def _table_from_json(obj: dict[str, Any]) -> tuple[pd.DataFrame, tuple[float, ...]]:
    edges = tuple(float(e) for e in obj["gap_edges_pp"])
    table = pd.DataFrame(obj["counts"], columns=["bin", "year", "n", "n_met"])
    return table, edges


def _wilson(k: int, n: int, z: float = 1.6448536269514722) -> tuple[float, float]:
    """Wilson (1927) score interval for a share, 90% by default [fraction]."""
    if n == 0:
        return math.nan, math.nan
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - h, c + h


@dataclass(frozen=True, repr=False)
class OutsideView(ResultBase):
    """How often cities that set a target this far above their recent growth met it.

    Attributes
    ----------
    target_pct, recent_growth_pct : float
        The target and the recent growth it was set against [%].
    gap_pp : float
        :math:`T - g_{-1}` [pp].
    bin : str
        The gap bin used, e.g. ``"[-1, 0)"`` [pp].
    n, n_met : int
        City targets of the years counted with a gap in that bin, and how many were met.
    share_met : float
        ``n_met / n`` (NaN when ``n`` is 0) [fraction].
    interval_90 : tuple of float
        Wilson 90% interval of the share [fraction].
    years : tuple of int
        Target years counted.
    by_year : DataFrame
        ``year, n, n_met, share_met`` in that bin.
    citation : str
        Where the targets come from (Li, Liu, Weng and Zhou 2019).
    """

    target_pct: float
    recent_growth_pct: float
    gap_pp: float
    bin: str
    n: int
    n_met: int
    share_met: float
    interval_90: tuple[float, float]
    years: tuple[int, ...]
    by_year: pd.DataFrame = field(compare=False)
    citation: str = CITATION
    lang: str = "en"

    def _frame(self) -> pd.DataFrame:
        total = pd.DataFrame({"year": ["all"], "n": [self.n], "n_met": [self.n_met], "share_met": [self.share_met]})
        by = self.by_year.astype({"year": object})
        frame = pd.concat([by, total], ignore_index=True)
        frame.insert(0, "gap_bin_pp", self.bin)
        return frame

    def _summary(self, lang: str) -> str:
        years = f"{min(self.years)}-{max(self.years)}" if self.years else "-"
        head = summary_text("outside_view_head", lang, target=num(self.target_pct), recent=num(self.recent_growth_pct),
                            gap=f"{self.gap_pp:+.2f}")
        if self.n == 0:
            body = summary_text("outside_view_none", lang, bin=self.bin, years=years)
        else:
            lo, hi = self.interval_90
            body = summary_text("outside_view_body", lang, n_met=self.n_met, n=self.n, share=self.share_met,
                                bin=self.bin, years=years, lo=lo, hi=hi)
        lines = [head, body]
        for row in self.by_year.itertuples(index=False):
            lines.append(summary_text("outside_view_year", lang, year=int(row.year), n_met=int(row.n_met), n=int(row.n),
                                      share=float(row.share_met)))
        lines.append(summary_text("outside_view_source", lang, citation=self.citation))
        return "\n".join(lines)


def _number(value: Any, name: str, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise UserValueError(name, value, f"expected a number [{unit}]")
    v = float(value)
    if not math.isfinite(v):
        raise UserValueError(name, value, f"expected a finite number [{unit}]")
    return v


def outside_view(target_pct: float, recent_growth_pct: float, years: Iterable[int] | None = None,
                 table: pd.DataFrame | None = None, edges: Sequence[float] | None = None,
                 lang: str = "en") -> OutsideView:
    """How often Chinese cities that set a growth target this far above their recent growth met it.

    Parameters
    ----------
    target_pct : float
        The annual real GDP growth target :math:`T` [%].
    recent_growth_pct : float
        Real growth of the year before the target year :math:`g_{-1}` [%].
    years : iterable of int, optional
        Target years to count (default: every year of the table, 2003-2008). ``years=range(2003, 2008)``
        leaves out 2008, the year the national shock hit every city at once.
    table : DataFrame, optional
        ``bin, year, n, n_met`` (from :func:`reference_table`); default: the shipped table.
    edges : sequence of float, optional
        The table's inner bin edges [pp] (default: the shipped table's, or :data:`GAP_EDGES_PP`).
    lang : {"en", "zh"}

    Returns
    -------
    OutsideView
        ``n``, ``n_met``, ``share_met`` and its Wilson 90% interval, the bin, counts by year and the
        citation.

    Notes
    -----
    .. math:: \\delta = T - g_{-1}, \\qquad
              \\hat p = \\frac{\\sum_{y} n^{\\rm met}_{k(\\delta), y}}{\\sum_{y} n_{k(\\delta), y}}

    over the chosen years, :math:`k(\\delta)` the left-closed bin holding :math:`\\delta`. The counts
    are of 1,454 targets of 307 cities, 2003-2008 (Li, Liu, Weng and Zhou 2019, *Economic Journal*
    129); targets whose city has no growth for the year before are not counted.

    Examples
    --------
    >>> ov = outside_view(10.0, 9.5)      # a target 0.5 pp above last year's growth
    >>> ov.bin
    '[0, 1)'
    """
    t = _number(target_pct, "target_pct", "%")
    g = _number(recent_growth_pct, "recent_growth_pct", "%")
    if table is None:
        table, shipped_edges = _table_from_json(load_reference_targets())
        edges = shipped_edges if edges is None else edges
    _check_columns(table, ("bin", "year", "n", "n_met"), "table")
    use_edges = tuple(GAP_EDGES_PP if edges is None else edges)
    all_years = sorted(int(y) for y in table["year"].unique())
    if years is None:
        chosen = all_years
    else:
        chosen = sorted({int(y) for y in years})
        unknown = [y for y in chosen if y not in all_years]
        if unknown:
            raise UserValueError("years", unknown, f"not in the reference table; expected some of {all_years}")
    gap = t - g
    k = int(gap_bin(gap, use_edges))
    sel = table[(table["bin"] == k) & table["year"].isin(chosen)]
    by = sel.groupby("year")[["n", "n_met"]].sum().reset_index().sort_values("year")
    by["share_met"] = by["n_met"] / by["n"]
    n, n_met = int(by["n"].sum()), int(by["n_met"].sum())
    return OutsideView(target_pct=t, recent_growth_pct=g, gap_pp=gap, bin=bin_label(k, use_edges), n=n, n_met=n_met,
                       share_met=n_met / n if n else math.nan, interval_90=_wilson(n_met, n), years=tuple(chosen),
                       by_year=by.reset_index(drop=True), lang=lang)


# --------------------------------------------------------------------------- the default forecaster
@dataclass(frozen=True)
class GrowthProbability:
    """A one-year predictive of real growth with ``probability(target_pct)`` = :math:`P(g \\ge T)`."""

    predictive: Any

    def probability(self, x: float, bound: str = "at_least") -> float:
        """:math:`P(g \\ge x)` (``bound="at_least"``) or :math:`P(g \\le x)` for growth ``x`` [%]."""
        u = np.log1p(np.asarray(x, dtype=float) / 100.0)
        below = float(self.predictive.cdf_growth(u)[0, 0])
        return 1.0 - below if bound == "at_least" else below


def _index_levels(wide_pct: pd.DataFrame) -> pd.DataFrame:
    """Real-volume index from real growth [%]: :math:`x_t = \\prod_{s \\le t}(1 + g_s/100)`, with a base
    year of 1 before the first column and NaN where the growth is unknown (no step is invented)."""
    if wide_pct.shape[1] == 0:
        return wide_pct
    g = wide_pct.where(wide_pct > -100.0)
    lg = np.log1p(g / 100.0)
    lvl = np.exp(lg.fillna(0.0).cumsum(axis=1)).where(g.notna())
    first = int(min(wide_pct.columns)) - 1
    lvl.insert(0, first, 1.0)
    return lvl


class FactorGrowthForecaster:
    """P(real growth >= target) one year ahead from the common-factor model on real growth.

    Called as ``forecaster(history_pct, year, as_of_year, peers)`` with the city's real growth
    [%] by year, the target year, the forecast date and the long ``region, year, value`` real growth
    of every city (values after ``as_of_year`` are never read); returns an object with
    ``.probability(target_pct)``. The model of each ``as_of_year`` is fitted once on the peers and
    kept. Options are passed to :func:`xiangxi_econ.probability.factor.fit_factor_model`.
    """

    def __init__(self, **options: Any) -> None:
        self.options = {"horizons": (1,), "break_years": (), "factor_windows": (1, 2, 3), "min_vintages": 3,
                        **options}
        self._models: dict[tuple[int, int], Any] = {}

    def model(self, as_of_year: int, peers: pd.DataFrame) -> Any:
        """The factor model fitted as of ``as_of_year`` on ``peers`` (cached per year and frame)."""
        key = (int(as_of_year), id(peers))
        if key not in self._models:
            cut = peers.loc[peers["year"] <= as_of_year]
            wide = cut.pivot_table(index="region", columns="year", values="value", aggfunc="first")
            self._models = {k: v for k, v in self._models.items() if k[1] == id(peers)}
            self._models[key] = fit_factor_model(_index_levels(wide), int(as_of_year), **self.options)
        return self._models[key]

    def __call__(self, history_pct: pd.Series, year: int, as_of_year: int, peers: pd.DataFrame) -> GrowthProbability:
        if int(year) != int(as_of_year) + 1:
            raise FactorModelError(f"year={year}: this forecaster gives one year ahead only (as_of_year + 1 = "
                                   f"{int(as_of_year) + 1})")
        model = self.model(as_of_year, peers)
        hist = history_pct[history_pct.index <= as_of_year].astype(float)
        levels = _index_levels(hist.to_frame().T)
        usable = screen_levels(levels, model.max_abs_step)
        if as_of_year not in usable.columns or not np.isfinite(usable[as_of_year].iloc[0]):
            # the city's own last year is unknown or screened out: a forecast from the peers alone
            levels = pd.DataFrame({as_of_year: [1.0]}, index=levels.index)
        return GrowthProbability(model.predictive(levels))


# --------------------------------------------------------------------------- the backtest
def brier(p: Any, outcome: Any) -> float:
    """Brier score :math:`\\frac{1}{n}\\sum (p_i - o_i)^2` (Brier 1950) [1]; lower is better."""
    p = np.asarray(p, dtype=float)
    o = np.asarray(outcome, dtype=float)
    return float(np.mean((p - o) ** 2)) if p.size else math.nan


def _logit_fit(train: pd.DataFrame, test: pd.DataFrame) -> np.ndarray:
    import statsmodels.api as sm

    x = sm.add_constant(train[["gap_last_pp", "gap_province_pp"]].to_numpy(dtype=float), has_constant="add")
    fit = sm.Logit(train["met"].to_numpy(dtype=float), x).fit(disp=0, method="newton", maxiter=100)
    xt = sm.add_constant(test[["gap_last_pp", "gap_province_pp"]].to_numpy(dtype=float), has_constant="add")
    return np.asarray(fit.predict(xt), dtype=float)


Forecaster = Callable[[pd.Series, int, int, pd.DataFrame], Any]

CALIBRATION_EDGES: tuple[float, ...] = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True, repr=False)
class OutsideViewBacktest(ResultBase):
    """P(meet) of every scored target beside the two baselines.

    ``rows``: ``city_code, year, city_target_pct, last_growth_pct, met, p_model, p_base_rate,
    p_logistic``. :meth:`scores` gives the Brier scores per year and pooled, :meth:`calibration`
    the reliability table.
    """

    rows: pd.DataFrame
    n_excluded: int
    citation: str = CITATION
    lang: str = "en"

    PROBS = ("p_model", "p_base_rate", "p_logistic")

    def scores(self) -> pd.DataFrame:
        """Brier score by target year and pooled (``year = "all"``): ``n``, share met, mean of each
        probability and each Brier score, and ``ratio`` = model / the better baseline."""
        out = []
        groups = [(int(y), g) for y, g in self.rows.groupby("year")] + [("all", self.rows)]
        for y, g in groups:
            rec: dict[str, Any] = {"year": y, "n": len(g), "share_met": float(g["met"].mean())}
            for c in self.PROBS:
                rec[f"mean_{c}"] = float(g[c].mean())
            for c in self.PROBS:
                rec[f"brier_{c[2:]}"] = brier(g[c], g["met"])
            rec["ratio"] = rec["brier_model"] / min(rec["brier_base_rate"], rec["brier_logistic"])
            out.append(rec)
        return pd.DataFrame(out)

    def calibration(self, column: str = "p_model", edges: Sequence[float] = CALIBRATION_EDGES,
                    years: Iterable[int] | None = None) -> pd.DataFrame:
        """Reliability table of ``column``: per probability bin, ``n``, mean forecast and share met."""
        r = self.rows if years is None else self.rows[self.rows["year"].isin(list(years))]
        k = np.clip(np.searchsorted(np.asarray(edges), r[column].to_numpy(), side="right") - 1, 0, len(edges) - 2)
        g = pd.DataFrame({"bin": k, "p": r[column].to_numpy(), "met": r["met"].to_numpy(dtype=float)})
        out = g.groupby("bin").agg(n=("p", "size"), mean_p=("p", "mean"), share_met=("met", "mean")).reset_index()
        out.insert(1, "lower", np.asarray(edges)[out["bin"]])
        out.insert(2, "upper", np.asarray(edges)[out["bin"] + 1])
        return out

    def _frame(self) -> pd.DataFrame:
        return self.scores()

    def _summary(self, lang: str) -> str:
        s = self.scores()
        lines = [summary_text("outside_backtest_head", lang, n=int(s["n"].iloc[-1]), excluded=self.n_excluded)]
        for r in s.itertuples(index=False):
            lines.append(summary_text("outside_backtest_row", lang, year=r.year, n=int(r.n), met=r.share_met,
                                      model=r.brier_model, base=r.brier_base_rate, logit=r.brier_logistic,
                                      ratio=r.ratio))
        lines.append(summary_text("outside_view_source", lang, citation=self.citation))
        return "\n".join(lines)


def backtest_outside_view(targets: pd.DataFrame, growth: pd.DataFrame, years: Iterable[int] = range(2004, 2009),
                          forecaster: Forecaster | None = None, lang: str = "en") -> OutsideViewBacktest:
    """Score P(city growth >= its own target), as of the year before, against the base rate and a logistic.

    Parameters
    ----------
    targets : DataFrame
        ``city_code, year, city_target_pct, province_target_pct, real_growth_pct`` [%] (Li, Liu, Weng and
        Zhou 2019).
    growth : DataFrame
        Long ``region, year, value``: every city's real growth [% a year]; only years before each target
        year are handed to the forecaster.
    years : iterable of int
        Target years to score; each needs targets of an earlier year for the baselines [year].
    forecaster : callable, optional
        ``(history_pct, year, as_of_year, peers) -> object with .probability(target_pct)``; default
        :class:`FactorGrowthForecaster`. For the class engine:
        ``lambda h, y, a, peers: xe.forecast(h, y, as_of_year=a, series_class="gdp_growth", peers=peers)``.

    Returns
    -------
    OutsideViewBacktest

    Notes
    -----
    A target is scored when its city's growth of the year before is known (both the forecaster's
    history and the logistic need it); the others are counted in ``n_excluded``. For target year
    :math:`Y` the base rate is the share met of all targets of years :math:`< Y`, and the logistic
    :math:`P = \\Lambda(\\beta_0 + \\beta_1 (T - g_{-1}) + \\beta_2 (T - T_{prov}))` is fitted by maximum
    likelihood on the scored-eligible targets of years :math:`< Y`. Nothing is fitted on year
    :math:`Y` or later.
    """
    rows = target_rows(targets, growth)
    fc: Forecaster = FactorGrowthForecaster() if forecaster is None else forecaster
    years = sorted({int(y) for y in years})
    usable = rows["last_growth_pct"].notna() & rows["met"].notna()
    g = growth.loc[:, ["region", "year", "value"]].copy()
    g["value"] = pd.to_numeric(g["value"], errors="coerce")
    g = g.dropna(subset=["value"])
    histories = {r: s.set_index("year")["value"].sort_index().rename(r) for r, s in g.groupby("region")}
    parts = []
    excluded = 0
    for y in years:
        earlier = rows[(rows["year"] < y) & rows["met"].notna()]
        if earlier.empty:
            raise UserValueError("years", y, "no targets before this year for the base rate and the logistic; start "
                                 "the backtest a year after the first target year")
        test = rows[(rows["year"] == y) & usable].copy()
        excluded += int(((rows["year"] == y) & ~usable).sum())
        peers = g.loc[g["year"] <= y - 1]
        p = np.empty(len(test))
        for i, (city, target) in enumerate(zip(test["city_code"], test["city_target_pct"], strict=True)):
            p[i] = float(fc(histories[city], y, y - 1, peers).probability(float(target)))
        test["p_model"] = p
        test["p_base_rate"] = float(earlier["met"].astype(float).mean())
        test["p_logistic"] = _logit_fit(earlier[earlier["last_growth_pct"].notna()], test)
        parts.append(test)
    out = pd.concat(parts, ignore_index=True)
    out["met"] = out["met"].astype(bool)
    return OutsideViewBacktest(rows=out, n_excluded=excluded, lang=lang)


# --------------------------------------------------------------------------- the target-aware forecast
def province_real_growth(panel: pd.DataFrame) -> pd.DataFrame:
    r"""Province real GDP growth from the city panel: the cities' real growth weighted by their nominal GDP
    of the year before,

    .. math:: g_{pt} = \frac{\sum_{i \in p} Y_{i,t-1}\, g_{it}}{\sum_{i \in p} Y_{i,t-1}}

    over the panel cities of province :math:`p` with both known (province code = the first two digits of
    the six-digit city code).

    Parameters
    ----------
    panel : DataFrame
        ``city_code, year, gdp_100m_cny`` [100 million CNY, current prices], ``gdp_real_growth_pct`` [%].

    Returns
    -------
    DataFrame
        ``province_code, year, growth_pct, n_cities``.
    """
    _check_columns(panel, ("city_code", "year", "gdp_100m_cny", "gdp_real_growth_pct"), "panel")
    p = panel.loc[:, ["city_code", "year", "gdp_100m_cny", "gdp_real_growth_pct"]].copy()
    p["year"] = p["year"].astype(int)
    prev = p[["city_code", "year", "gdp_100m_cny"]].assign(year=p["year"] + 1).rename(
        columns={"gdp_100m_cny": "weight"})
    p = p.merge(prev, on=["city_code", "year"], how="left").dropna(subset=["weight", "gdp_real_growth_pct"])
    p = p[p["weight"] > 0]
    p["province_code"] = pd.to_numeric(p["city_code"], errors="coerce").floordiv(10_000).astype("Int64")
    p["wg"] = p["weight"] * p["gdp_real_growth_pct"]
    out = p.groupby(["province_code", "year"]).agg(wg=("wg", "sum"), w=("weight", "sum"),
                                                   n_cities=("wg", "size")).reset_index()
    out["growth_pct"] = out["wg"] / out["w"]
    return out[["province_code", "year", "growth_pct", "n_cities"]].astype({"province_code": int})


def national_shocks(province_targets: pd.DataFrame, province_growth: pd.DataFrame) -> pd.Series:
    r"""The national "growth minus target" of each year: :math:`s_t = \operatorname{mean}_p (g_{pt} - T_{pt})`
    over the provinces with both [pp], indexed by year.

    Parameters
    ----------
    province_targets : DataFrame
        ``province_code, year, province_target_pct`` [%] (``province_growth_targets_1998_2017.csv``,
        Li, Liu, Weng and Zhou 2019).
    province_growth : DataFrame
        ``province_code, year, growth_pct`` [%] (:func:`province_real_growth`).
    """
    _check_columns(province_targets, ("province_code", "year", "province_target_pct"), "province_targets")
    _check_columns(province_growth, ("province_code", "year", "growth_pct"), "province_growth")
    m = province_targets.merge(province_growth, on=["province_code", "year"], how="inner")
    gap = m["growth_pct"] - pd.to_numeric(m["province_target_pct"], errors="coerce")
    return gap.groupby(m["year"].astype(int)).mean().dropna().rename("shock_pp")


def _digest(frame: pd.DataFrame) -> str:
    """Content digest of a frame's rows (a cache key that cannot outlive the data, unlike ``id``)."""
    import hashlib

    raw = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _lad_nonnegative(y: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray]:
    """Least-absolute-deviation fit :math:`y = a + X\\beta` with :math:`\\beta \\ge 0`: a negative
    coefficient is set to 0 and the fit redone without it (statsmodels ``QuantReg`` at q = 0.5)."""
    import statsmodels.api as sm

    keep = np.ones(x.shape[1], dtype=bool)
    while True:
        xx = sm.add_constant(x[:, keep], has_constant="add")
        params = np.asarray(sm.QuantReg(y, xx).fit(q=0.5, max_iter=5000).params, dtype=float)
        beta = np.zeros(x.shape[1])
        beta[keep] = params[1:]
        if (beta >= 0).all() or not keep.any():
            return float(params[0]), np.maximum(beta, 0.0)
        keep &= beta > 0


@dataclass(frozen=True)
class TargetAwareFit:
    r"""The recalibration of one target year, fitted on earlier target years only.

    :math:`g - T = a + b\,(m - T) + c\,(T_{prov} - T) + u + \varepsilon`, with :math:`m` the engine's
    median growth [%], :math:`u \sim N(0, \sigma_c^2)` the national shock [pp] and :math:`\varepsilon`
    the within-year residuals [pp].
    """

    year: int
    a: float
    b: float
    c: float
    sigma_c: float
    resid: np.ndarray
    fit_years: tuple[int, ...]
    shock_years: tuple[int, ...]
    n_fit: int


@dataclass(frozen=True)
class TargetAwareProbability:
    """P(growth >= target) of one city and year from a :class:`TargetAwareFit`; ``note`` says what it used."""

    fit: TargetAwareFit
    engine_median_pct: float
    province_target_pct: float
    engine_note: str = ""

    def probability(self, x: float, bound: str = "at_least") -> float:
        """:math:`P(g \\ge x) = \\frac1M \\sum_k \\Phi\\big((a + b(m - x) + c(T_{prov} - x) + \\varepsilon_k)
        / \\sigma_c\\big)` for a target ``x`` [%] (non-increasing in ``x``: :math:`b, c \\ge 0`)."""
        from scipy import special

        f = self.fit
        tp = self.province_target_pct if math.isfinite(self.province_target_pct) else float(x)
        mu = f.a + f.b * (self.engine_median_pct - x) + f.c * (tp - x)
        p = float(special.ndtr((mu + f.resid) / f.sigma_c).mean())
        return p if bound == "at_least" else 1.0 - p

    @property
    def note(self) -> str:
        f = self.fit
        return (f"target-aware: g - T = {f.a:+.2f} + {f.b:.2f}(m - T) + {f.c:.2f}(T_prov - T), fitted on "
                f"{f.n_fit} targets of {', '.join(map(str, f.fit_years))}; national shock sd {f.sigma_c:.2f} pp "
                f"from {min(f.shock_years)}-{max(f.shock_years)}; engine: {self.engine_note}")


class TargetAwareForecaster:
    r"""P(a city meets its own growth target) from the engine's growth forecast and the target itself.

    A city sets a target it expects to beat and reported growth bunches at targets, so the target is
    information a forecaster has at the as-of year. For target year :math:`Y`, as of :math:`Y-1`:

    1. :math:`m_i` = the engine's median one-year real growth of the city [%]
       (:func:`~xiangxi_econ.probability.target_models.growth_predictive`: the class engine's
       ``gdp_growth`` path with every city as peers, as of the year before each target year);
    2. on the targets of years :math:`Y' < Y` with known outcomes, a least-absolute-deviation fit
       :math:`g - T = a + b\,(m - T) + c\,(T_{prov} - T) + e` with :math:`b, c \ge 0` (so the probability
       never rises with the target); :math:`\varepsilon` = the residuals minus their year's median;
    3. the national shock :math:`u \sim N(0, \sigma_c^2)`, :math:`\sigma_c` the standard deviation
       (ddof 1) of the yearly national "growth minus target" of the provinces, years up to :math:`Y-1`
       (:func:`national_shocks`): it is shared by every city, as in the engine;
    4. :math:`P(g \ge T) = \frac1M\sum_k \Phi\big((a + b(m - T) + c(T_{prov} - T) + \varepsilon_k)/\sigma_c\big)`.

    Nothing of year :math:`Y` is read but the targets themselves (the city's and its province's,
    announced at the start of :math:`Y`); no outcome of :math:`Y` or later, no growth after
    :math:`Y-1`.

    Parameters
    ----------
    targets : DataFrame
        ``city_code, year, city_target_pct, province_target_pct, real_growth_pct`` [%].
    shocks : Series
        The national "growth minus target" by year [pp] (:func:`national_shocks`); years up to
        :math:`Y-1` are read.

    Called as ``forecaster(history_pct, year, as_of_year, peers)`` (the backtest's signature) with
    ``history_pct.name`` the city code and ``peers`` every city's real growth up to ``as_of_year``.

    References
    ----------
    Li, Liu, Weng and Zhou (2019), *Economic Journal* 129 (targets); Koenker, R. and Bassett, G. (1978),
    "Regression quantiles", *Econometrica* 46 (the LAD fit).
    """

    def __init__(self, targets: pd.DataFrame, shocks: pd.Series) -> None:
        _check_columns(targets, TARGET_COLUMNS, "targets")
        self.targets = targets.loc[:, list(TARGET_COLUMNS)].copy()
        self.shocks = shocks
        self._engine: dict[tuple[int, str], tuple[pd.Series, str]] = {}
        self._fits: dict[tuple[int, str], TargetAwareFit] = {}

    def engine_medians(self, as_of_year: int, peers: pd.DataFrame) -> tuple[pd.Series, str]:
        """The engine's median one-year growth [%] of every city of ``peers``, as of ``as_of_year``."""
        from .target_models import growth_predictive

        peers = peers.loc[peers["year"] <= int(as_of_year), ["region", "year", "value"]]
        key = (int(as_of_year), _digest(peers))
        if key not in self._engine:
            pred, ref = growth_predictive(peers, int(as_of_year))
            q = pred.quantiles_growth([0.5])[:, 0, 0]
            med = pd.Series(100.0 * np.expm1(q), index=pred.series)
            self._engine[key] = (med, f"gdp_growth engine as of {as_of_year}, vintage fitted on "
                                      f"{len(pred.series)} peer regions")
        return self._engine[key]

    def fit(self, year: int, peers: pd.DataFrame) -> TargetAwareFit:
        """The recalibration for target year ``year`` from target years before it (``peers``: real growth
        up to ``year - 1``; earlier as-of years use its rows up to each)."""
        year = int(year)
        peers = peers.loc[peers["year"] <= year - 1, ["region", "year", "value"]]
        key = (year, _digest(peers))
        if key in self._fits:
            return self._fits[key]
        t = self.targets
        earlier = t[(t["year"] < year)].dropna(subset=["real_growth_pct", "city_target_pct", "province_target_pct"])
        if earlier.empty:
            raise UserValueError("year", year, "no earlier target year with outcomes to fit the recalibration on")
        ys, xs, yrs = [], [], []
        for y0, rows in earlier.groupby("year"):
            med, _ = self.engine_medians(int(y0) - 1, peers.loc[peers["year"] <= int(y0) - 1])
            m = med.reindex(rows["city_code"]).to_numpy()
            ok = np.isfinite(m)
            T = rows["city_target_pct"].to_numpy(float)[ok]
            ys.append(rows["real_growth_pct"].to_numpy(float)[ok] - T)
            xs.append(np.column_stack([m[ok] - T, rows["province_target_pct"].to_numpy(float)[ok] - T]))
            yrs.append(np.full(ok.sum(), int(y0)))
        y, x, yr = np.concatenate(ys), np.vstack(xs), np.concatenate(yrs)
        a, beta = _lad_nonnegative(y, x)
        e = y - a - x @ beta
        med_by_year = pd.Series(e).groupby(yr).transform("median").to_numpy()
        sh = self.shocks[self.shocks.index <= year - 1].dropna()
        if len(sh) < 2:
            raise UserValueError("shocks", list(sh.index), f"at least 2 years of national shocks before {year}")
        fit = TargetAwareFit(year=year, a=a, b=float(beta[0]), c=float(beta[1]), sigma_c=float(sh.std(ddof=1)),
                             resid=np.sort(e - med_by_year), fit_years=tuple(sorted(set(int(v) for v in yr))),
                             shock_years=tuple(int(v) for v in sh.index), n_fit=len(y))
        self._fits[key] = fit
        return fit

    def __call__(self, history_pct: pd.Series, year: int, as_of_year: int,
                 peers: pd.DataFrame) -> TargetAwareProbability:
        if int(year) != int(as_of_year) + 1:
            raise UserValueError("year", year, f"one year ahead only (as_of_year + 1 = {int(as_of_year) + 1})")
        fit = self.fit(int(year), peers)
        med, note = self.engine_medians(int(as_of_year), peers)
        city = history_pct.name
        if city not in med.index:
            raise UserValueError("history_pct.name", city, "a region of peers (the city code)")
        row = self.targets[(self.targets["city_code"] == city) & (self.targets["year"] == int(year))]
        tp = float(row["province_target_pct"].iloc[0]) if len(row) else math.nan
        return TargetAwareProbability(fit=fit, engine_median_pct=float(med[city]), province_target_pct=tp,
                                      engine_note=note)
