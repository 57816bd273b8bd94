r"""Probability of meeting each target: Monte Carlo draws of annual growth paths.

For every numeric target with a base-year value and a historical pace, annual steps are drawn
independently for the :math:`H` years to the target year:

* levels, counts, five-year totals and average-growth targets — log growth
  :math:`\ell_t = \ln(1 + g_t)` with centre :math:`\mu = \ln(1 + g_a)` (the history-window pace: with
  symmetric steps the median path follows it; with two-piece steps :math:`\mu` is the mode) and
  spread :math:`\sigma`;
  :math:`x_H = x_0 \exp(\sum_t \ell_t)`; a five-year total is :math:`x_0 \sum_{t=1}^{H} \exp(\sum_{s\le t} \ell_s)`
  from the base-year flow;
* shares and rates — changes :math:`d_t` in percentage points with centre the historical pp pace;
  :math:`x_H = x_0 + \sum_t d_t`, kept within [0, 100].

Steps are normal, or two-piece (split) normal — the Bank of England fan-chart density
:math:`\frac{\sqrt 2}{\sqrt\pi(\sigma_1+\sigma_2)} e^{-(x-\mu)^2/2\sigma_i^2}` with :math:`\sigma_1`
left and :math:`\sigma_2` right of the mode — when an asymmetric spread is given. The probability
of meeting a target is the share of draws at or past it (honouring "at most" bounds and
lower-is-better indicators); its Monte Carlo standard error :math:`\sqrt{p(1-p)/N}` is reported.

Default spreads are assumptions, documented here and overridable per indicator:
:data:`DEFAULT_SIGMA_LOG` = 0.03 (three points of annual growth) for levels, and for shares and
rates half the historical pp pace plus 0.1 pp. Where an annual history of at least
:data:`MIN_HISTORY` values is supplied, centre and spread are estimated with statsmodels (an
ARIMA(0,0,0) model with a constant on annual log differences — a random walk with drift in logs —
or on annual differences for shares), and the model is named in the result. With six to ten annual
points the estimates rest mostly on the model's assumptions.

Reference class (``reference_class=True``): the 13th plan delivered a median share :math:`\rho` of
the pace it required (achieved / required pace over its 专栏1 rows, see
:func:`~xiangxi_econ.track_record`), with spread :math:`s_\rho`. The reference-class distribution
centres each indicator's growth at :math:`\rho g_r` (the new required pace scaled by the old
delivery ratio) and widens the spread to :math:`\sqrt{\sigma^2 + (s_\rho g_r)^2}`; both
probabilities are reported side by side.

Draws come in fixed blocks of :data:`BLOCK` with a random stream per block
(``SeedSequence(seed, spawn_key=(block,))``), so results depend on the seed only, never on
``chunk_size``.

References
----------
Britton, E., Fisher, P. and Whitley, J. (1998), "The Inflation Report projections: understanding
the fan chart", *Bank of England Quarterly Bulletin* 38(1); OECD (2019), *Measuring Distance to
the SDG Targets* (stochastic projections of target attainment); statsmodels
``tsa.arima.model.ARIMA``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from . import targets as _targets_mod
from ._display import ResultBase, fit, num
from .exceptions import PercentLikeRateWarning
from .plan import Plan
from .schema import PP_KINDS
from .verdicts import meets

BLOCK = 8192
"""Draws per random-number block; results are identical for any chunk size."""

DEFAULT_SIGMA_LOG = 0.03
"""Default spread of annual log growth for levels [log points per year] (an assumption)."""

MIN_HISTORY = 6
"""Fewest annual values for estimating the growth process from a user history."""

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_SIM_KINDS = ("level", "count", "share", "rate", "cumulative", "growth")


@dataclass(frozen=True, repr=False)
class Simulation(ResultBase):
    """Result of :func:`simulate`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per simulated target: ``indicator_id``, names, ``kind``, ``unit``, ``base_value``,
        ``target_value``, ``bound``, ``years``, the centre of the annual steps actually drawn —
        ``centre_rate`` [fraction per year; levels, counts, totals, growth targets] or ``centre_pp``
        [pp per year; shares and rates] — the spreads ``sigma``, ``sigma_left``, ``sigma_right`` in
        ``spread_unit``, ``volatility_source``, ``probability``, ``mc_se``, the
        quantiles of the target-year value ``q05`` … ``q95`` [unit; for average-growth targets the
        average annual growth over the horizon in percent; for five-year totals the total], and with a reference class
        ``probability_reference`` and ``probability_change``.
    fan : pandas.DataFrame
        Long quantiles of the paths for fan charts: ``indicator_id, year, quantile, value``
        (from the first ``fan_draws`` draws; annual flows for five-year totals; average-growth
        targets have no fan).
    skipped : pandas.DataFrame
        Targets not simulated, with the reason.
    n_draws, seed : int
    """

    table: pd.DataFrame
    fan: pd.DataFrame
    skipped: pd.DataFrame
    n_draws: int
    seed: int
    settings: dict = field(default_factory=dict)

    def _frame(self) -> pd.DataFrame:
        return self.table.copy()

    def _plot(self, ax=None, indicator_id: str | None = None, plan=None, lang: str | None = None):
        """The fan chart of ``indicator_id`` (with ``plan`` for its history and target), or, without
        one, the probability of meeting each target."""
        from .plotting import plot_fan, plot_probabilities

        if indicator_id is not None:
            return plot_fan(self, indicator_id, plan=plan, ax=ax, lang=self._lang(lang))
        return plot_probabilities(self.to_frame(), ax=ax, lang=self._lang(lang))

    def _summary(self, lang: str = "en") -> str:
        t = self.table
        years = ""
        if len(t) and "target_year" in t.columns:
            years = f" by {'/'.join(str(int(y)) for y in sorted(t['target_year'].dropna().unique()))}"
        lines = [f"Probability of meeting each target{years}: {len(t)} targets, {self.n_draws:,} draws, "
                 f"seed {self.seed}",
                 f"Spreads: {self.settings.get('spreads', '')}", ""]
        ref = "probability_reference" in t.columns
        lines.append(f"{'indicator':40} {'target':>10} {'median':>10} {'P(meet)':>8}"
                     + (f" {'ref. class':>10}" if ref else ""))
        for r in t.itertuples():
            line = f"{fit(r.name_en, 40)} {num(r.target_value):>10} {num(r.q50):>10} {r.probability:>8.1%}"
            if ref:
                line += f" {r.probability_reference:>10.1%}"
            lines.append(line)
        if len(self.skipped):
            lines.append("")
            lines.append(f"Not simulated: {len(self.skipped)} targets (no base-year value or no historical pace)")
        return "\n".join(lines)


# ---------------------------------------------------------------------------- inputs

def _targets(plan: Plan, targets: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    t = _targets_mod.targets_table(plan) if targets is None else targets
    t = t[t["kind"].isin(_SIM_KINDS)].copy()
    pp = t["kind"].isin(PP_KINDS)
    t["centre"] = np.where(pp, t["historical_pace_pp"], t["historical_rate"])
    t["start"] = np.where(t["kind"] == "cumulative", t["base_flow"], t["base_value"])
    t.loc[t["kind"] == "growth", "start"] = 1.0
    # targets met at the baseline are simulated too: a ceiling can still be breached, a floor lost
    ok = t["centre"].notna() & t["start"].notna() & (t["years"] > 0)
    skipped = t.loc[~ok, ["indicator_id", "name_en"]].assign(reason="no baseline or no historical pace")
    return t[ok].reset_index(drop=True), skipped.reset_index(drop=True)


def _estimate(values: pd.Series, pp: bool) -> tuple[float, float, str]:
    """Centre and spread of annual steps from an annual history, with statsmodels."""
    from statsmodels.tsa.arima.model import ARIMA

    v = pd.Series(values, dtype=float).sort_index().dropna()
    steps = v.diff().dropna() if pp else np.log(v).diff().dropna()
    fitted = ARIMA(steps.to_numpy(), order=(0, 0, 0), trend="c").fit()
    centre = float(fitted.params[0])
    sigma = float(np.sqrt(fitted.params[-1]))
    what = "annual differences" if pp else "annual log differences"
    return centre, sigma, f"statsmodels ARIMA(0,0,0)+const on {what}, {len(v)} values"


def _check_spread(name: str, value: float, pp: bool) -> None:
    """A spread is non-negative; for levels it is in log points a year, so above 1 looks like a percent."""
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a non-negative number; got {value!r}")
    if not pp and value > 1:
        warnings.warn(f"{name} = {value!r} log points a year looks like a percent; spreads of levels are fractions "
                      "(0.03 for three points of annual growth)", PercentLikeRateWarning, stacklevel=4)


def _history_spreads(history, ids, pp, centre, sigma, source) -> None:
    for ident, values in history.items():
        k = np.flatnonzero(ids == ident)
        if not len(k):
            raise ValueError(f"history: unknown or not simulated indicator_id {ident!r}")
        if len(values) < MIN_HISTORY:
            raise ValueError(f"history[{ident!r}]: {len(values)} annual values; at least {MIN_HISTORY} are "
                             "needed to estimate a growth process")
        c, s, name = _estimate(values, bool(pp[k[0]]))
        centre[k], sigma[k], source[k] = c, s, name


def _spreads(t: pd.DataFrame, volatility, skew, history) -> pd.DataFrame:
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    hist_pace = t["centre"].to_numpy(float)
    centre = np.where(pp, hist_pace, np.log1p(hist_pace))
    sigma = np.where(pp, 0.5 * np.abs(hist_pace) + 0.1, DEFAULT_SIGMA_LOG)
    source = np.where(pp, "default: 0.5 × |historical pp pace| + 0.1 pp", f"default: {DEFAULT_SIGMA_LOG} log points")
    source = source.astype(object)
    ids = t["indicator_id"].to_numpy()
    if history:
        _history_spreads(history, ids, pp, centre, sigma, source)
    if volatility:
        for ident, s in volatility.items():
            k = np.flatnonzero(ids == ident)
            if not len(k):
                raise ValueError(f"volatility: unknown or not simulated indicator_id {ident!r}")
            _check_spread(f"volatility[{ident!r}]", s, bool(pp[k[0]]))
            sigma[k], source[k] = s, "user"
    left, right = sigma.copy(), sigma.copy()
    if skew is not None:
        items = skew.items() if isinstance(skew, Mapping) else ((i, skew) for i in ids)
        for ident, pair in items:
            k = np.flatnonzero(ids == ident)
            if not len(k):
                raise ValueError(f"skew: unknown or not simulated indicator_id {ident!r}")
            lo, hi = pair
            if lo < 0 or hi < 0:
                raise ValueError(f"skew[{ident!r}] must be two non-negative spreads (left, right); got {pair!r}")
            left[k], right[k] = lo, hi
            source[k] = str(source[k[0]]) + "; two-piece normal"
    return pd.DataFrame({"mu": centre, "sigma": sigma, "sigma_left": left, "sigma_right": right,
                         "volatility_source": source})


def _reference_class(plan: Plan, t: pd.DataFrame, targets: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray,
                                                                                         dict]:
    """Centre and extra spread from the previous plan's delivery ratio (achieved / required pace)."""
    from .record import track_record

    tr = track_record(plan, targets=targets).table
    pp_rows = tr["kind"].isin(PP_KINDS)
    ratios = {}
    for name, mask in (("rate", ~pp_rows), ("pp", pp_rows)):
        r = tr.loc[mask, "ratio"].astype(float)
        r = r[np.isfinite(r)]
        if len(r) < 3:
            ratios[name] = (1.0, 0.0, len(r))
        else:
            q1, med, q3 = np.percentile(r, [25, 50, 75])
            ratios[name] = (float(med), float((q3 - q1) / 1.349), len(r))
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    required = np.where(pp, t["required_pace_pp"], t["required_rate"]).astype(float)
    med = np.where(pp, ratios["pp"][0], ratios["rate"][0])
    spread = np.where(pp, ratios["pp"][1], ratios["rate"][1])
    centre_pace = med * required
    centre = np.where(pp, centre_pace, np.log1p(centre_pace))
    extra = spread * np.abs(required)
    info = {f"{k} median delivery ratio": round(v[0], 3) for k, v in ratios.items()}
    info.update({f"{k} ratio spread (IQR/1.349)": round(v[1], 3) for k, v in ratios.items()})
    info.update({f"{k} rows": v[2] for k, v in ratios.items()})
    return centre, extra, info


# ---------------------------------------------------------------------------- engine

def _steps(rng: np.random.Generator, n: int, mu, left, right, years: int) -> np.ndarray:
    """(n, indicators, years) annual steps: normal, or two-piece normal where left != right."""
    z = rng.standard_normal((n, len(mu), years))
    if np.array_equal(left, right):
        return mu[None, :, None] + left[None, :, None] * z
    u = rng.random((n, len(mu), years))
    p_left = np.divide(left, left + right, out=np.full_like(left, 0.5), where=(left + right) > 0)
    a = np.abs(z)
    return np.where(u < p_left[None, :, None], mu[None, :, None] - left[None, :, None] * a,
                    mu[None, :, None] + right[None, :, None] * a)


def _outcome(steps: np.ndarray, start: np.ndarray, kind: np.ndarray, horizon: np.ndarray, year_mask: np.ndarray,
             ) -> tuple[np.ndarray, np.ndarray]:
    """Target-year value of each draw, and the paths (draws × indicators × years)."""
    steps = steps * year_mask[None, :, :]  # no movement after each indicator's own horizon
    pp = np.isin(kind, PP_KINDS)
    cum = np.cumsum(steps, axis=2)
    paths = np.where(pp[None, :, None], np.clip(start[None, :, None] + cum, 0.0, 100.0),
                     start[None, :, None] * np.exp(cum))
    last = paths[:, :, -1]
    growth = kind == "growth"
    if growth.any():  # cumulated factor -> average annual growth over the horizon [percent]
        last = last.copy()
        last[:, growth] = (last[:, growth] ** (1.0 / horizon[growth][None, :]) - 1) * 100
    cumulative = kind == "cumulative"
    if cumulative.any():
        flows = paths[:, cumulative, :] * year_mask[None, cumulative, :]
        last = last.copy()
        last[:, cumulative] = flows.sum(axis=2)
    return last, paths


def _meets(values: np.ndarray, t: pd.DataFrame) -> np.ndarray:
    return meets(values, t["target_value"].to_numpy(float), t["bound"].to_numpy(object),
                 t["direction"].to_numpy(object), tol=0.0)


def simulate(plan: Plan, n_draws: int = 100_000, seed: int = 0, volatility: Mapping[str, float] | None = None,
             skew=None, history: Mapping[str, pd.Series] | None = None, reference_class: bool = False,
             chunk_size: int = 131_072, fan_draws: int = 20_000, progress=None,
             targets: pd.DataFrame | None = None, calibrated: bool = True,
             as_of_year: int | None = None) -> Simulation:
    """Probability of meeting every numeric target, by Monte Carlo.

    Parameters
    ----------
    plan : Plan
    n_draws : int
        Number of simulated paths [draws].
    seed : int
        Seed; the same seed gives the same result for any ``chunk_size``.
    volatility : mapping, optional
        ``{indicator_id: sigma}`` overriding the default spread [log points per year for levels,
        pp per year for shares and rates].
    skew : (float, float) or mapping, optional
        Two-piece normal spreads ``(left, right)`` for all simulated targets, or
        ``{indicator_id: (left, right)}`` [same units as ``volatility``].
    history : mapping, optional
        ``{indicator_id: Series indexed by year}`` of annual values (at least :data:`MIN_HISTORY`)
        from which centre and spread are estimated with statsmodels.
    reference_class : bool
        Also report probabilities under the 13th plan's delivery record.
    chunk_size : int
        Draws processed at a time (memory), rounded up to a multiple of :data:`BLOCK`.
    fan_draws : int
        Draws kept whole for the fan-chart quantiles.
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk [draws], e.g. to show a progress line.
    targets : pandas.DataFrame, optional
        The plan's :func:`~xiangxi_econ.targets.targets_table`, if already computed.
    calibrated : bool
        Make ``probability`` the calibrated one (:func:`~xiangxi_econ.calibration.target_forecasts`:
        the target's annual history, calibrated deceleration and common shocks) wherever the target's
        series has two values in one statistical segment; the trend-only probability stays in
        ``probability_trend`` (and the reference class in ``probability_reference``).
    as_of_year : int, optional
        Information year of the calibrated forecasts [year]; default the plan's base year (an ex-ante
        assessment). A later year uses the observations published since (a mid-term review).

    Returns
    -------
    Simulation

    See Also
    --------
    plotting.plot_fan : the fan chart of one simulated indicator.

    Examples
    --------
    The trend engine alone: 1.78 pp a year of history against 1.0 pp required, spread 0.5 × 1.78 +
    0.1 = 0.99 pp a year, so P = Φ((1.78 - 1.0) √5 / 0.99) = Φ(1.76) = 0.961:

    >>> import xiangxi_econ as xe
    >>> sim = xe.simulate(xe.load_plan(), n_draws=20_000, seed=1, calibrated=False)
    >>> p = sim.to_frame().set_index("indicator_id").loc["urbanisation_rate", "probability"]
    >>> bool(0.94 < p < 0.98)
    True

    By default the probability is the calibrated one, the trend engine's kept beside it:

    >>> sim = xe.simulate(xe.load_plan(), n_draws=20_000, seed=1)
    >>> sim.to_frame().set_index("indicator_id").loc["gdp", "probability_model"]
    'calibrated forecast'

    """
    if not isinstance(n_draws, (int, np.integer)) or n_draws < 1:
        raise ValueError(f"n_draws must be a positive integer; got {n_draws!r}")
    if not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer; got {chunk_size!r}")
    t, skipped = _targets(plan, targets)
    if t.empty:
        empty = pd.DataFrame(columns=["indicator_id", "name_en", "name_zh", "kind", "unit", "target_value", "bound",
                                      "probability", "mc_se", "volatility_source",
                                      *(f"q{int(round(q * 100)):02d}" for q in QUANTILES)])
        return Simulation(empty, pd.DataFrame(columns=["indicator_id", "year", "quantile", "value"]), skipped,
                          int(n_draws), int(seed), {"spreads": "no target has a base-year value and a historical pace"})
    spreads = _spreads(t, volatility, skew, history)
    t = pd.concat([t.reset_index(drop=True), spreads], axis=1)
    horizon = t["years"].to_numpy(int)
    years = int(horizon.max()) if len(t) else 0
    year_mask = (np.arange(1, years + 1)[None, :] <= horizon[:, None]).astype(float)
    kind = t["kind"].to_numpy(str)
    start = t["start"].to_numpy(float)
    mu = t["mu"].to_numpy(float)
    left, right = t["sigma_left"].to_numpy(float), t["sigma_right"].to_numpy(float)
    runs = [("base", mu, left, right)]
    info: dict = {}
    if reference_class:
        ref_mu, extra, info = _reference_class(plan, t, targets)
        runs.append(("reference", ref_mu, np.sqrt(left ** 2 + extra ** 2), np.sqrt(right ** 2 + extra ** 2)))

    results = _draw_runs(runs, int(n_draws), int(seed), int(chunk_size), int(fan_draws), years,
                         (start, kind, horizon, year_mask), progress)
    finals = results["base"][0]
    meets = _meets(finals, t)
    p = meets.mean(axis=0)
    q = np.quantile(finals, QUANTILES, axis=0)
    table = t[["indicator_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_year", "base_value",
               "target_year", "target_value",
               "bound", "direction", "years", "attribute"]].copy()
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    mu_used = t["mu"].to_numpy(float)  # what the draws used: historical, user history (statsmodels) ...
    table["centre_rate"] = np.where(pp, np.nan, np.expm1(mu_used))
    table["centre_pp"] = np.where(pp, mu_used, np.nan)
    table["spread_unit"] = np.where(pp, "pp per year", "log points per year")
    for col in ("sigma", "sigma_left", "sigma_right", "volatility_source"):
        table[col] = t[col]
    table["probability"] = p
    table["mc_se"] = np.sqrt(p * (1 - p) / n_draws)
    for qq, row in zip(QUANTILES, q, strict=True):
        table[f"q{int(round(qq * 100)):02d}"] = row
    if reference_class:
        p_ref = _meets(results["reference"][0], t).mean(axis=0)
        table["reference_centre_rate"] = np.where(pp, np.nan, np.expm1(ref_mu))
        table["reference_centre_pp"] = np.where(pp, ref_mu, np.nan)
        table["probability_reference"] = p_ref
        table["probability_change"] = p_ref - p
    fan = _fan(results["base"][1], t, start)
    settings = {"spreads": "trend engine: levels 0.03 log points a year; shares and rates 0.5 × |pp pace| + 0.1 pp "
                           "unless overridden", **info}
    table["probability_trend"] = table["probability"]
    table["probability_model"] = "trend, default spread"
    if calibrated:
        # a target given a user model (volatility, skew, history) keeps it: the trend engine
        own = set(volatility or {}) | set(history or {}) | (set(skew) if isinstance(skew, Mapping) else set())
        if skew is not None and not isinstance(skew, Mapping):
            own |= set(t["indicator_id"])
        table, fan = _calibrate(plan, t[~t["indicator_id"].isin(own)], table, fan, n_draws, seed, as_of_year)
        settings["model"] = ("calibrated forecasts (xiangxi_econ.forecasting: deceleration and common shocks "
                             "estimated on Chinese prefecture GDP 1995-2018) where the history allows; trend engine "
                             "elsewhere")
    return Simulation(table.reset_index(drop=True), fan, skipped, int(n_draws), int(seed), settings)


def _calibrate(plan: Plan, t: pd.DataFrame, table: pd.DataFrame, fan: pd.DataFrame, n_draws: int, seed: int,
               as_of_year: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace probability, quantiles and fan by the calibrated forecast where one can be made."""
    from .calibration import target_forecasts

    ind = plan.indicators.set_index("indicator_id")
    rows = t.assign(base_unit=t["indicator_id"].map(ind["base_unit"]), scale=t["indicator_id"].map(ind["scale"]))
    cal = target_forecasts(plan, rows, as_of_year, n_draws=n_draws, seed=seed).set_index("indicator_id")
    ids = table["indicator_id"]
    ok = ids.isin(cal.index).to_numpy() & ids.map(cal["probability"]).notna().to_numpy()
    table["probability_calibrated"] = ids.map(cal["probability"]).to_numpy(float)
    table.loc[ok, "probability"] = table.loc[ok, "probability_calibrated"]
    table.loc[ok, "probability_model"] = "calibrated forecast"
    table["forecast_history"] = ids.map(cal["years_used"]).fillna("").to_numpy(object)
    table["history_note"] = ids.map(cal["history_note"]).fillna("").to_numpy(object)
    table["mc_se"] = np.sqrt(table["probability"] * (1 - table["probability"]) / n_draws)
    for q in QUANTILES:
        col = f"q{int(round(q * 100)):02d}"
        table.loc[ok, col] = ids[ok].map(cal[col]).to_numpy(float)
    parts = [fan[~fan["indicator_id"].isin(set(ids[ok]))]]
    for ident in ids[ok]:
        paths = cal.loc[ident, "forecast"].path_quantiles(QUANTILES)
        long = paths.rename_axis(columns="quantile").stack().rename("value").reset_index()
        parts.append(long.assign(indicator_id=ident)[["indicator_id", "year", "quantile", "value"]])
    return table, pd.concat(parts, ignore_index=True)


def _draw_runs(runs: list, n_draws: int, seed: int, chunk_size: int, fan_draws: int, years: int,
               shape: tuple, progress) -> dict:
    """Final values (and fan paths of the base run) of every run, drawn in seeded blocks."""
    start, kind, horizon, year_mask = shape
    chunk_blocks = max(1, -(-chunk_size // BLOCK))
    n_blocks = -(-n_draws // BLOCK)
    results = {}
    for name, m, lo, hi in runs:
        finals = np.empty((n_draws, len(start)))
        fan_paths = []
        done = 0
        for first in range(0, n_blocks, chunk_blocks):
            parts = []
            for b in range(first, min(first + chunk_blocks, n_blocks)):
                n = min(BLOCK, n_draws - b * BLOCK)
                rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b,))))
                parts.append(_steps(rng, n, m, lo, hi, years))
            last, paths = _outcome(np.concatenate(parts, axis=0), start, kind, horizon, year_mask)
            finals[done: done + len(last)] = last
            if done < fan_draws and name == "base":
                fan_paths.append(paths[: max(0, fan_draws - done)])
            done += len(last)
            if progress is not None:
                progress(done + (n_draws if name == "reference" else 0), n_draws * len(runs))
        results[name] = (finals, fan_paths)
    return results


def _fan(fan_paths: list, t: pd.DataFrame, start: np.ndarray) -> pd.DataFrame:
    if not fan_paths or not len(t):
        return pd.DataFrame(columns=["indicator_id", "year", "quantile", "value"])
    paths = np.concatenate(fan_paths, axis=0)
    q = np.quantile(paths, QUANTILES, axis=0)  # (quantiles, indicators, years)
    base_year = t["base_year"].to_numpy(int)
    rows = []
    for k, ident in enumerate(t["indicator_id"]):
        if t["kind"].iloc[k] == "growth":  # a rate target has no level path to fan
            continue
        h = int(t["years"].iloc[k])
        for j, qq in enumerate(QUANTILES):
            values = np.concatenate([[start[k]], q[j, k, :h]])
            rows.append(pd.DataFrame({"indicator_id": ident, "year": base_year[k] + np.arange(h + 1),
                                      "quantile": qq, "value": values}))
    return pd.concat(rows, ignore_index=True)
