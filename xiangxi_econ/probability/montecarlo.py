r"""Probability of meeting each target, from the one probability engine (:mod:`xiangxi_econ.probability.engine`).

Every numeric target with a base-year value gets a distribution of one scalar per target — the
average annual step to the target year — mapped monotonically to the target-year value, and the
engine gives its quantiles and probability exactly, the national shock shared by every target
(:meth:`Simulation.joint_probability`):

* **reference-class forecasts** (default, ``calibrated=True``) wherever the target's series has a
  value at the information year: the series' class (:mod:`xiangxi_econ.probability.series_classes`) and class
  model (:mod:`xiangxi_econ.probability.target_models`) — a national factor and the region's pooled deviation
  for levels, the share models for shares, ratios and intensities on their own scale
  (:mod:`xiangxi_econ.probability.ratio_models`) — from the last value at or before ``as_of_year``, each
  row saying where its spread comes from (``spread_source``: estimated on what, or assumed). A target
  with no class forecast gets no probability: it is listed in ``skipped`` with the reason (a growth-rate
  target waits for the ``gdp_growth`` class, :func:`~xiangxi_econ.probability.calibration.growth_rate_marginal`);
  a target whose outcome is published by ``as_of_year`` is decided (met or missed, with its outcome);
* **the trend engine** for targets given a user model (``volatility``, ``skew``, ``history``), with
  ``calibrated=False``, and as the ``probability_trend`` baseline — its start, origin and pace taken
  from what was known in ``as_of_year`` (the pace within the last statistical segment): independent
  annual steps at the history-window pace, so the average step is normal
  with sd :math:`\sigma/\sqrt H` (two-piece normal with :math:`\sigma_1/\sqrt H, \sigma_2/\sqrt H`
  when ``skew`` is given — the Bank of England fan-chart density applied to the average step):

  - levels and counts: log growth, centre :math:`\ln(1 + g_a)`, value :math:`x_0 e^{H\bar\ell}`;
  - average-growth targets: :math:`100(e^{\bar\ell} - 1)`;
  - five-year totals: :math:`x_0 \sum_{t \le H} e^{t\bar\ell}` (a constant-growth path);
  - shares and rates: pp, :math:`\mathrm{clip}_{[0,100]}(x_0 + H\bar d)`.

  Default spreads are assumptions, documented and overridable per indicator
  (:func:`default_trend_sigma`): :data:`DEFAULT_SIGMA_LOG` = 0.03 log points a year for levels, half
  the historical pp pace plus 0.1 pp for shares and rates. With a user ``history`` of at least
  :data:`MIN_HISTORY` values, centre and spread are estimated with statsmodels (ARIMA(0,0,0) with a
  constant on annual log differences, or differences for shares).

A target is met at or past its value on its bound side (at-most bounds and lower-is-better
indicators honoured). ``n_draws`` joint draws (one common shock per draw, in seeded blocks of
:data:`~xiangxi_econ.probability.engine.BLOCK`, chunked so memory stays flat) check the closed form:
``probability_mc`` and its standard error ``mc_se`` sit beside ``probability``.

Reference class of the previous plan (``reference_class=True``): the 13th plan delivered a median
share :math:`\rho` of the pace it required (:func:`~xiangxi_econ.track_record`), with spread
:math:`s_\rho`; the trend engine centred at :math:`\rho g_r` with spread
:math:`\sqrt{\sigma^2 + (s_\rho g_r)^2}` gives ``probability_reference`` (none from fewer than three
previous-plan rows).

References
----------
Britton, E., Fisher, P. and Whitley, J. (1998), "The Inflation Report projections: understanding
the fan chart", *Bank of England Quarterly Bulletin* 38(1); OECD (2019), *Measuring Distance to
the SDG Targets* (stochastic projections of target attainment); Gneiting, T. and Raftery, A. (2007),
JASA 102; statsmodels ``tsa.arima.model.ARIMA``.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .._display import ResultBase, charts, fit, num
from .._format import fmt_reference
from ..data.plan import Plan
from ..exceptions import PercentLikeRateWarning
from ..rules import targets as _targets_mod
from ..rules.verdicts import lower_is_better
from ..schema import PP_KINDS
from .engine import TargetSet, memory_estimate
from .target_models import GRID, Marginal

MAX_DRAWS = 50_000_000
"""Most draws :func:`simulate` accepts: memory stays flat (chunks), time grows with the draws."""
MAX_CHUNK = 1_048_576
"""Most draws held at once (about 50 MiB per 50 targets and array)."""
MAX_HORIZON = 50
"""Most years from the information year to ``end_year`` or a target year [years]."""

DEFAULT_SIGMA_LOG = 0.03
"""Default spread of annual log growth for levels [log points per year] (an assumption)."""

MIN_HISTORY = 6
"""Fewest annual values for estimating the growth process from a user history."""

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_SIM_KINDS = ("level", "count", "share", "rate", "cumulative", "growth")


class JointProbability(float):
    """A joint probability [fraction] that says what it covers: a ``float`` with ``ids`` (the targets met
    together), ``n_simulated`` of ``n_asked`` (e.g. 3 of 5 binding targets), ``left_out`` (id → why it
    was not simulated) and ``what`` ("binding targets" …)."""

    ids: tuple[str, ...]
    n_asked: int
    left_out: dict
    what: str

    def __new__(cls, value: float, ids: tuple[str, ...] = (), n_asked: int = 0, left_out: dict | None = None,
                what: str = "targets") -> "JointProbability":
        obj = super().__new__(cls, value)
        obj.ids, obj.n_asked, obj.left_out, obj.what = tuple(ids), int(n_asked), dict(left_out or {}), what
        return obj

    @property
    def n_simulated(self) -> int:
        """How many targets the probability covers."""
        return len(self.ids)

    def describe(self) -> str:
        """``0.412: all 3 of 5 binding targets simulated met together (not simulated: …)``."""
        left = "; ".join(f"{i}: {r}" for i, r in self.left_out.items())
        head = f"{float(self):.3f}" if self == self else "n/a"
        tail = f" (not simulated: {left})" if left else ""
        return f"{head}: {self.n_simulated} of {self.n_asked} {self.what} met together{tail}"


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
        Targets not simulated, with the reason; a target whose outcome is published by the information
        year is ``decided`` (``met`` or ``missed``) with its ``outcome``, never forecast.
    outlook : pandas.DataFrame
        With ``end_year``: each series' value at ``end_year`` from its latest published value at the
        information year: ``indicator_id, from_year, from_value, year, q05 .. q95, series_class,
        spread_source`` (the 50% band is q25-q75, the 90% band q05-q95).
    n_draws, seed : int
    """

    table: pd.DataFrame
    fan: pd.DataFrame
    skipped: pd.DataFrame
    n_draws: int
    seed: int
    settings: dict = field(default_factory=dict)
    targets: TargetSet | None = None
    outlook: pd.DataFrame = field(default_factory=pd.DataFrame)

    def describe(self, lang: str = "en") -> dict[str, str]:
        """The methods paragraphs of what ran, in ``lang`` (the report's Methods section): which engine
        computed how many targets, the reference classes used and what each was estimated on, the
        shared national shock with the joint probability of the binding targets, and the Monte Carlo
        check of the closed form."""
        from ..i18n import CLASS_NAMES, text
        from .series_classes import CLASSES

        zh = lang == "zh"
        t = self.table
        out: dict[str, str] = {}
        if not len(t):
            return out
        models = t["probability_model"].astype(str).value_counts(sort=False)
        names = {"calibrated forecast": text("engine_calibrated", lang),
                 "trend, default spread": text("engine_trend", lang)}
        sep = "；" if zh else "; "
        out["counts"] = text("engine_counts", lang, counts=sep.join(
            text("engine_count", lang, engine=names.get(m, m), n=int(n)) for m, n in models.items()))
        if "calibrated forecast" in models.index:
            as_of = self.settings.get("as_of_year") or "/".join(map(str, sorted(set(
                t.loc[t["probability_model"] == "calibrated forecast", "base_year"].astype(int)))))
            out["engine"] = text("engine_calibrated_method", lang, as_of=as_of)
            used = t.loc[t["series_class"].astype(str) != "", "series_class"].value_counts(sort=False)
            lines = [text("engine_class", lang, name=CLASS_NAMES.get(c, (c, c))[1 if zh else 0], n=int(n),
                          desc=CLASSES[c].description_zh if zh else CLASSES[c].estimated_on)
                     for c, n in used.items() if c in CLASSES]
            out["classes"] = text("engine_classes", lang, classes=sep.join(lines))
        binding = t.loc[t["attribute"] == "binding", "indicator_id"].tolist()
        if len(binding) >= 2:
            joint = self.joint_probability(binding)
            product = float(np.prod(t.set_index("indicator_id").loc[binding, "probability"].to_numpy(float)))
            out["shared"] = text("engine_shared", lang, n=len(binding), joint=f"{joint:.1%}", product=f"{product:.1%}")
        if "trend, default spread" in models.index:
            out["spreads"] = text("spreads_default", lang)
        if "probability_mc" in t.columns:
            diff = float(np.nanmax(np.abs(t["probability_mc"] - t["probability"])))
            out["check"] = text("engine_closed_form", lang, draws=f"{self.n_draws:,}", diff=f"{diff:.4f}",
                                se=f"{float(t['mc_se'].max()):.4f}")
        return out

    def joint_probability(self, indicator_ids: list[str] | None = None) -> "JointProbability":
        """Probability that every listed target is met together (default: every simulated binding target,
        or every simulated target when none is binding).

        The targets share the national shock, so this is not the product of their probabilities: given
        the shock they are independent, and the engine integrates over it
        (:meth:`~xiangxi_econ.probability.engine.TargetSet.joint_probability`).

        Parameters
        ----------
        indicator_ids : list of str, optional
            Targets to meet together; each must have been simulated.

        Returns
        -------
        JointProbability
            A float [probability] that also says which targets it covers (``ids``), how many of how many
            asked for (``n_simulated`` of ``n_asked``) and which were left out and why (``left_out``).

        Raises
        ------
        ValueError
            When a listed id was not simulated: each is named with the reason (skipped: no base-year value,
            decided by the as-of year …; or not a numeric target of the plan).

        Examples
        --------
        >>> import xiangxi_econ as xe
        >>> sim = xe.simulate(xe.load_plan(), n_draws=8192)
        >>> binding = list(sim.table.loc[sim.table["attribute"] == "binding", "indicator_id"])
        >>> 0.0 <= sim.joint_probability(binding) <= 1.0
        True
        """
        t = self.table
        simulated = list(t["indicator_id"]) if len(t) else []
        reasons = {}
        if len(self.skipped) and "indicator_id" in self.skipped.columns:
            why = (self.skipped["reason"] if "reason" in self.skipped.columns
                   else pd.Series("", index=self.skipped.index))
            reasons = dict(zip(self.skipped["indicator_id"].astype(str), why.astype(str), strict=True))
        if indicator_ids is None:
            attr = self.settings.get("attributes", {})
            binding_all = [i for i, a in attr.items() if a == "binding"]
            binding_sim = list(t.loc[t["attribute"] == "binding", "indicator_id"]) if len(t) else []
            if binding_sim or binding_all:
                asked = list(dict.fromkeys(binding_all + binding_sim))
                what = "binding targets"
            else:
                asked, what = simulated, "simulated targets"
            ids = [i for i in asked if i in simulated]
            left = {i: reasons.get(i, "not simulated") for i in asked if i not in simulated}
        else:
            if isinstance(indicator_ids, str):
                indicator_ids = [indicator_ids]
            asked, what = list(dict.fromkeys(indicator_ids)), "targets asked for"
            left = {i: reasons.get(i, "not a numeric target of the plan" if i not in simulated else "")
                    for i in asked if i not in simulated}
            if left:
                named = "; ".join(f"{i}: {r}" for i, r in left.items())
                raise ValueError(f"joint_probability: {len(left)} of {len(asked)} targets were not simulated "
                                 f"({named}); expected ids of sim.table['indicator_id'] "
                                 f"({', '.join(simulated[:12])}{', ...' if len(simulated) > 12 else ''})")
            ids = asked
        value = float("nan") if self.targets is None or not ids else self.targets.joint_probability(ids)
        return JointProbability(value, tuple(ids), len(asked), left, what)

    def _frame(self) -> pd.DataFrame:
        """Open targets with their probability (``status`` = ``forecast``), decided targets with their
        outcome (``met``/``missed``, no probability), and with ``end_year`` each series' outlook
        (``outlook_year``, ``outlook_q05`` .. ``outlook_q95``)."""
        out = self.table.copy()
        out["status"] = "forecast"
        sk = self.skipped
        if len(sk) and "decided" in sk.columns:
            dec = sk[sk["decided"].fillna("").astype(str) != ""]
            if len(dec):
                out = pd.concat([out, dec.rename(columns={"decided": "status"})], ignore_index=True)
        if len(self.outlook):
            ol = self.outlook.set_index("indicator_id")
            cols = {"year": "outlook_year", "from_year": "outlook_from_year", "from_value": "outlook_from_value",
                    **{c: f"outlook_{c}" for c in ("q05", "q25", "q50", "q75", "q95")}}
            out = out.join(ol[list(cols)].rename(columns=cols), on="indicator_id")
        return out

    def _plot(self, ax=None, indicator_id: str | None = None, plan=None, lang: str | None = None):
        """The fan chart of ``indicator_id`` (with ``plan`` for its history and target), or, without
        one, the probability of meeting each target."""
        plotting = charts()
        plot_fan, plot_probabilities = plotting.plot_fan, plotting.plot_probabilities

        if indicator_id is not None:
            return plot_fan(self, indicator_id, plan=plan, ax=ax, lang=self._lang(lang))
        return plot_probabilities(self.to_frame(), ax=ax, lang=self._lang(lang))

    def _summary(self, lang: str = "en") -> str:
        t = self.table
        as_of = self.settings.get("as_of_year", "")
        years = ""
        if len(t) and "target_year" in t.columns:
            ty = sorted(int(y) for y in t["target_year"].dropna().unique())
            past = as_of != "" and max(ty) <= int(as_of)
            # a target year not after the information year is not "by" it: its outcome is only unpublished
            years = (f" for {'/'.join(map(str, ty))}, outcomes not yet published" if past
                     else f" by {'/'.join(map(str, ty))}")
        when = f" (as of {as_of})" if as_of != "" else ""
        lines = [f"Probability of meeting each open target{years}{when}: {len(t)} targets, {self.n_draws:,} draws, "
                 f"seed {self.seed}",
                 f"Spreads: {self.settings.get('spreads', '')}"]
        if self.settings.get("start_note"):
            lines.append(str(self.settings["start_note"]))
        lines.append("")
        ref = "probability_reference" in t.columns
        lines.append(f"{'indicator':40} {'target':>10} {'median':>10} {'P(meet)':>8}"
                     + (f" {'ref. class':>10}" if ref else ""))
        for r in t.itertuples():
            line = f"{fit(r.name_en, 40)} {num(r.target_value):>10} {num(r.q50):>10} {r.probability:>8.1%}"
            if ref:
                rows = self.settings.get("pp rows" if r.kind in PP_KINDS else "rate rows", 0)
                line += f" {fmt_reference(r.probability_reference, int(rows or 0), lang):>10}"
            lines.append(line)
        sk = self.skipped
        dec = sk[sk["decided"].fillna("").astype(str) != ""] if len(sk) and "decided" in sk.columns else sk.iloc[:0]
        if len(dec):
            lines += ["", f"Decided as of {as_of} (outcome published, not forecast): {len(dec)} targets"]
            for r in dec.itertuples():
                lines.append(f"{fit(r.name_en, 40)} {r.decided:>8} {num(r.outcome):>10}")
        if len(self.outlook):
            o = self.outlook
            lines += ["", f"Outlook to {int(o['year'].max())} from the latest published value (median; 50% and 90% "
                          "bands)"]
            for r in o.itertuples():
                lines.append(f"{fit(str(r.name_en), 40)} {int(r.from_year)}: {num(r.from_value)} -> {num(r.q50)} "
                             f"[{num(r.q25)}, {num(r.q75)}] [{num(r.q05)}, {num(r.q95)}]")
        rest = len(sk) - len(dec)
        if rest:
            lines.append("")
            lines.append(f"Not simulated: {rest} targets, each with its reason (sim.skipped)")
        return "\n".join(lines)


# ---------------------------------------------------------------------------- inputs

_TARGET_COLUMNS = ("indicator_id", "name_en", "kind", "base_value", "base_flow", "target_year", "target_value",
                   "bound", "direction", "years", "historical_pace_pp", "historical_rate")


def _targets(plan: Plan, targets: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    if targets is not None:
        if not isinstance(targets, pd.DataFrame):
            raise ValueError("targets must be a pandas DataFrame (xe.targets_table(plan)); got "
                             f"{type(targets).__name__}")
        missing = [c for c in _TARGET_COLUMNS if c not in targets.columns]
        if missing:
            raise ValueError(f"targets: missing column(s) {missing}; expected the frame of xe.targets_table(plan) "
                             f"(got {len(targets)} rows, columns {list(targets.columns)[:8]})")
    t = _targets_mod.targets_table(plan) if targets is None else targets
    t = t[t["kind"].isin(_SIM_KINDS)].copy()
    pp = t["kind"].isin(PP_KINDS)
    t["centre"] = np.where(pp, t["historical_pace_pp"], t["historical_rate"])
    t["start"] = np.where(t["kind"] == "cumulative", t["base_flow"], t["base_value"])
    t.loc[t["kind"] == "growth", "start"] = 1.0
    # targets met at the baseline are simulated too: a ceiling can still be breached, a floor lost
    ok = t["centre"].notna() & t["start"].notna() & (t["years"] > 0)
    skipped = t.loc[~ok, ["indicator_id", "name_en", "attribute"]].assign(reason="no baseline or no historical pace")
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


MAX_SPREAD_LOG = 10.0
"""Largest spread of a level's annual log growth accepted [log points per year] (e^10: x22,000 a year;
above 1 a warning already says it looks like a percent)."""
MAX_SPREAD_PP = 100.0
"""Largest spread of a share's annual step accepted [pp per year]."""


def _check_spread(name: str, value: object, pp: bool) -> None:
    """A spread is a non-negative number; for levels it is in log points a year, so above 1 looks like a
    percent, and above :data:`MAX_SPREAD_LOG` (pp: :data:`MAX_SPREAD_PP`) it is refused."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a non-negative number [{'pp' if pp else 'log points'} per year]; "
                         f"got {value!r}")
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a non-negative number; got {value!r}")
    cap = MAX_SPREAD_PP if pp else MAX_SPREAD_LOG
    if value > cap:
        raise ValueError(f"{name} = {value!r} is above {cap} {'pp' if pp else 'log points'} a year: a spread that "
                         "size puts every outcome in the band; spreads of levels are fractions (0.03 for three "
                         "points of annual growth)")
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


def default_trend_sigma(pp: np.ndarray, pace: np.ndarray) -> np.ndarray:
    """The trend engine's default spread of annual steps (its one home): :data:`DEFAULT_SIGMA_LOG` log
    points a year for levels, :math:`0.5|d| + 0.1` pp a year for shares and rates with pace
    :math:`d` [pp per year]."""
    pace = np.asarray(pace, dtype=float)
    return np.where(np.asarray(pp, dtype=bool), 0.5 * np.abs(pace) + 0.1, DEFAULT_SIGMA_LOG)


def trend_targets(ids, additive, base, pace, years, thresholds, at_most) -> TargetSet:
    """The trend continued, as the engine's distributions: levels grow at the compound rate ``pace``
    [fraction per year], additive quantities move ``pace`` [unit per year] from ``base``, with the
    default spreads (:func:`default_trend_sigma`); ``years`` to the target year."""
    additive = np.asarray(additive, dtype=bool)
    pace = np.asarray(pace, dtype=float)
    frame = pd.DataFrame({"kind": np.where(additive, "share", "level"), "years": np.asarray(years, dtype=int),
                          "start": np.asarray(base, dtype=float), "base_year": 0})
    mu = np.where(additive, pace, np.log1p(pace))
    sigma = default_trend_sigma(additive, pace)
    marginals = _trend_marginals(frame, mu, sigma, sigma)
    if additive.any():  # an additive quantity measured in years (life expectancy) is not a 0-100 share
        marginals = [dataclasses.replace(m, limits=(-np.inf, np.inf)) if a else m
                     for m, a in zip(marginals, additive, strict=True)]
    return TargetSet.from_marginals(list(ids), marginals, frame["years"].to_numpy(int),
                                    np.asarray(thresholds, dtype=float), np.asarray(at_most, dtype=bool))


def _spreads(t: pd.DataFrame, volatility, skew, history) -> pd.DataFrame:
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    hist_pace = t["centre"].to_numpy(float)
    centre = np.where(pp, hist_pace, np.log1p(np.where(pp, 0.0, hist_pace)))  # pp paces never reach log1p
    sigma = default_trend_sigma(pp, hist_pace)
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
            if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
                raise ValueError(f"skew[{ident!r}] must be two non-negative spreads (left, right); got {pair!r}")
            lo, hi = pair
            _check_spread(f"skew[{ident!r}] left", lo, bool(pp[k[0]]))
            _check_spread(f"skew[{ident!r}] right", hi, bool(pp[k[0]]))
            if lo < 0 or hi < 0:
                raise ValueError(f"skew[{ident!r}] must be two non-negative spreads (left, right); got {pair!r}")
            left[k], right[k] = lo, hi
            source[k] = str(source[k[0]]) + "; two-piece normal"
    return pd.DataFrame({"mu": centre, "sigma": sigma, "sigma_left": left, "sigma_right": right,
                         "volatility_source": source})


def _reference_class(t: pd.DataFrame, record: Any) -> tuple[np.ndarray, np.ndarray, dict]:
    """Centre and extra spread from the previous plan's delivery ratio (achieved / required pace) in
    ``record`` (the track record, or its table)."""
    tr = getattr(record, "table", record)
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

def _trend_marginals(t: pd.DataFrame, mu: np.ndarray, left: np.ndarray, right: np.ndarray) -> list[Marginal]:
    """The trend engine's steps as marginals of the average step: centre ``mu`` (log growth or pp a
    year) and spread sigma / sqrt(h) (independent annual steps), two-piece where left != right."""
    from scipy import special

    out = []
    grid = special.ndtri((np.arange(GRID) + 0.5) / GRID)
    for k, r in enumerate(t.itertuples()):
        h = int(r.years)
        hs = np.arange(1, h + 1, dtype=float)
        pp = r.kind in PP_KINDS
        lo, hi = left[k] / np.sqrt(hs), right[k] / np.sqrt(hs)
        if np.isclose(left[k], right[k]):
            resid = lo[:, None] * grid[None, :]
        else:  # two-piece normal quantiles (mode at 0): left share lo / (lo + hi)
            resid = np.stack([_two_piece_quantiles(lo[i], hi[i]) for i in range(h)])
        transform = "pp" if pp else {"growth": "growth", "cumulative": "total"}.get(r.kind, "log")
        base = float(r.start)
        out.append(Marginal(transform=transform, base=base, origin=int(r.base_year), centre=np.full(h, mu[k]),
                            sigma_common=np.zeros(h), dof=np.full(h, np.inf), resid=resid,
                            limits=(0.0, 100.0) if pp else (0.0, np.inf), series_class="trend",
                            model="trend", years_used=()))
    return out


def _two_piece_quantiles(s1: float, s2: float) -> np.ndarray:
    from scipy import special

    p = (np.arange(GRID) + 0.5) / GRID
    w = s1 / (s1 + s2) if s1 + s2 > 0 else 0.5
    left = s1 * special.ndtri(np.clip(p / (2 * w), 1e-12, 0.5)) if w > 0 else np.zeros_like(p)
    right = s2 * special.ndtri(np.clip(0.5 + (p - w) / (2 * (1 - w)), 0.5, 1 - 1e-12)) if w < 1 else np.zeros_like(p)
    return np.where(p < w, left, right)


def _check_count(name: str, value: object, cap: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    if cap is not None and int(value) > cap:
        raise ValueError(f"{name}={int(value):,} is above the cap of {cap:,}: the probabilities are exact without "
                         f"draws (the draws only check them), memory stays flat in chunks (about "
                         f"{memory_estimate(50, int(value), 65_536) / 2**20:,.0f} MiB for 50 targets) but the "
                         f"time grows with the draws (about {int(value) / 1e6:,.0f} s per 20 targets); "
                         f"use at most {cap:,}")
    return int(value)


def simulate(plan: Plan, n_draws: int = 100_000, seed: int = 0, volatility: Mapping[str, float] | None = None,
             skew=None, history: Mapping[str, pd.Series] | None = None, reference_class: bool = False,
             chunk_size: int = 65_536, fan_draws: int = 20_000, progress=None,
             targets: pd.DataFrame | None = None, calibrated: bool = True,
             as_of_year: int | None = None, end_year: int | None = None, record: Any = None) -> Simulation:
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
        Also report probabilities under the previous plan's delivery record (``record``).
    record : TrackRecord or pandas.DataFrame, optional
        The previous plan's track record, needed by ``reference_class``; :func:`xiangxi_econ.simulate`
        computes it (the probability wing never imports the evaluation).
    chunk_size : int
        Draws processed at a time (memory), rounded up to a multiple of :data:`BLOCK`.
    fan_draws : int
        Ignored (fans are computed in closed form); kept for compatibility.
    progress : callable, optional
        Called as ``progress(done, total)`` after each chunk [draws], e.g. to show a progress line.
    targets : pandas.DataFrame, optional
        The plan's :func:`~xiangxi_econ.rules.targets.targets_table`, if already computed.
    calibrated : bool
        Make ``probability`` the calibrated one (:func:`~xiangxi_econ.probability.calibration.target_forecasts`:
        the target's annual history, calibrated deceleration and common shocks) wherever the target's
        series has two values in one statistical segment; the trend-only probability stays in
        ``probability_trend`` (and the reference class in ``probability_reference``).
    as_of_year : int, optional
        Information year of the calibrated forecasts [year]; default the plan's base year (an ex-ante
        assessment). A later year uses the observations published since (a mid-term review), and
        forecasts start from the last value published by then; targets whose year is not after it are
        listed in ``skipped`` as decided.
    end_year : int, optional
        Last year of the fans [year] (e.g. 2030 or 2035 from the latest observation); targets after it
        are skipped. Default: each target's own year.

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
    n_draws, chunk_size = _check_args(n_draws, chunk_size, seed, end_year)
    start_note = _check_years(plan, as_of_year, end_year, calibrated)
    t, skipped = _targets(plan, targets)
    attributes = dict(zip(pd.concat([skipped["indicator_id"], t["indicator_id"]]),  # for joint_probability's count
                          pd.concat([skipped["attribute"], t["attribute"]]), strict=True))
    decided_rows = None
    if as_of_year is not None:
        t, late = _as_of_inputs(plan, t, int(as_of_year))
        decided_rows = late.attrs.get("decided_rows")
        skipped = pd.concat([skipped, late], ignore_index=True)
    if end_year is not None:
        later = t["target_year"] > int(end_year)
        skipped = pd.concat([skipped, t.loc[later, ["indicator_id", "name_en"]].assign(
            reason=f"target year after end_year={int(end_year)}")], ignore_index=True)
        t = t[~later].reset_index(drop=True)
    if t.empty and (end_year is None or not calibrated):
        empty = pd.DataFrame(columns=["indicator_id", "name_en", "name_zh", "kind", "unit", "target_value", "bound",
                                      "probability", "mc_se", "volatility_source",
                                      *(f"q{int(round(q * 100)):02d}" for q in QUANTILES)])
        return Simulation(empty, pd.DataFrame(columns=["indicator_id", "year", "quantile", "value"]), skipped,
                          int(n_draws), int(seed), {"spreads": "no target has a base-year value and a historical pace"})
    t = pd.concat([t.reset_index(drop=True), _spreads(t, volatility, skew, history)], axis=1)
    run = _trend_run(t) if len(t) else _empty_run(t)
    settings: dict = {"spreads": "trend engine: levels 0.03 log points a year; shares and rates "
                                 "0.5 × |pp pace| + 0.1 pp unless overridden", "attributes": attributes,
                                 "start_note": start_note}
    outlook: list[tuple[str, Marginal]] = []
    settings["as_of_year"] = "" if as_of_year is None else int(as_of_year)
    if calibrated:
        # a target given a user model (volatility, skew, history) keeps it: the trend engine
        own = set(volatility or {}) | set(history or {}) | (set(skew) if isinstance(skew, Mapping) else set())
        if skew is not None and not isinstance(skew, Mapping):
            own |= set(t["indicator_id"])
        run, decided, outlook = _class_run(plan, run, own, as_of_year, end_year)
        skipped = pd.concat([skipped, decided], ignore_index=True)
        if end_year is not None and as_of_year is not None:
            outlook += _decided_outlook(plan, decided_rows, int(as_of_year), int(end_year))
        settings["spreads"] = ("each row's spread_source: estimated on a panel (what, vintage, n) or assumed; the "
                               "trend engine's defaults only where a user model was given")
        settings["model"] = ("one engine: reference classes (national factor and the region's deviation for levels; "
                             "trending, slow and noisy shares) where the history allows, the trend engine elsewhere; "
                             "the national shock is shared by every target")
    t, table = run["t"], run["table"]
    if t.empty:
        fan = _fan(t, [], end_year, outlook)
        return Simulation(table.reset_index(drop=True), fan, skipped.reset_index(drop=True), int(n_draws), int(seed),
                          settings, None, _outlook_frame(plan, fan, outlook, [], end_year))
    table["probability_model"] = run["model"]
    tset = TargetSet.from_marginals(list(t["indicator_id"]), run["marginals"], run["horizons"],
                                    t["target_value"].to_numpy(float), lower_is_better(t["bound"], t["direction"]))
    table["probability"] = tset.probability()
    qv = tset.quantiles(QUANTILES)
    for j, qq in enumerate(QUANTILES):
        table[f"q{int(round(qq * 100)):02d}"] = qv[:, j]
    table["probability_mc"] = _monte_carlo_check(tset, n_draws, int(seed), chunk_size, progress)
    table["mc_se"] = np.sqrt(table["probability_mc"] * (1 - table["probability_mc"]) / n_draws)
    if reference_class:
        if record is None:
            raise ValueError("reference_class=True needs record= (the previous plan's track record, "
                             "xe.track_record(plan)); xe.simulate computes it for you")
        settings.update(_reference_columns(t, table, record))
    fan = _fan(t, run["marginals"], end_year, outlook)
    pairs = [(str(t["indicator_id"].iloc[k]), m) for k, m in enumerate(run["marginals"])]
    return Simulation(table.reset_index(drop=True), fan, skipped.reset_index(drop=True), int(n_draws), int(seed),
                      settings, tset, _outlook_frame(plan, fan, outlook, pairs, end_year))


def _check_args(n_draws: object, chunk_size: object, seed: object, end_year: object) -> tuple[int, int]:
    n = _check_count("n_draws", n_draws, MAX_DRAWS)
    chunk = _check_count("chunk_size", chunk_size, MAX_CHUNK)
    if seed is None or isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or int(seed) < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    if end_year is not None and (isinstance(end_year, bool) or not isinstance(end_year, (int, np.integer))):
        raise ValueError(f"end_year must be an integer year; got {end_year!r}")
    return n, chunk


MAX_AS_OF_GAP = 5
"""Most years an information year may lie after the last published value [years]."""


def _last_published(plan: Plan) -> int:
    years = [int(plan.levels["year"].max())] if len(plan.levels) else []
    obs = plan.observations.table
    if len(obs):
        years.append(int(obs["year"].max()))
    return max(years) if years else int(plan.periods.base_year)


def _check_years(plan: Plan, as_of_year: object, end_year: int | None, calibrated: bool) -> str:
    """``as_of_year`` an integer year the forecasts can use (reference classes need outcomes up to it:
    the earliest shipped priors are of 2015), at most :data:`MAX_AS_OF_GAP` years after the last
    published value; ``end_year`` not before it and at most :data:`MAX_HORIZON` years ahead. Returns
    the note of an information year after the last published value (forecasts start from it)."""
    from .priors import PRIOR_VINTAGES

    note = ""
    if as_of_year is not None:
        if isinstance(as_of_year, bool) or not isinstance(as_of_year, (int, np.integer)):
            raise ValueError(f"as_of_year must be an integer year; got {as_of_year!r}")
        if calibrated and int(as_of_year) < min(PRIOR_VINTAGES):
            raise ValueError(f"as_of_year={as_of_year}: the reference classes are estimated from outcomes up to "
                             f"{min(PRIOR_VINTAGES)} at the earliest, so a forecast made in {as_of_year} would see "
                             "the future; pass calibrated=False for the trend engine alone")
        last = _last_published(plan)
        if int(as_of_year) - last > MAX_AS_OF_GAP:
            raise ValueError(f"as_of_year={as_of_year} is {int(as_of_year) - last} years after the last published "
                             f"value ({last}); at most {MAX_AS_OF_GAP} years later is accepted (nothing is known "
                             "about the years between)")
        if int(as_of_year) > last:
            note = (f"as of {int(as_of_year)}: nothing is published after {last}; every forecast starts from the "
                    "latest published value of its series")
    start = int(as_of_year) if as_of_year is not None else plan.periods.base_year
    if end_year is not None and int(end_year) <= start:
        raise ValueError(f"end_year={end_year} is not after the information year {start}: the outlook runs forward "
                         f"from it (pass an end_year after {start})")
    if end_year is not None and int(end_year) - start > MAX_HORIZON:
        raise ValueError(f"end_year={end_year} is {int(end_year) - start} years after {start}; at most {MAX_HORIZON} "
                         "years are forecast (the spreads are estimated on five-year horizons)")
    return note


def _with_units(plan: Plan, t: pd.DataFrame) -> pd.DataFrame:
    ind = plan.indicators.set_index("indicator_id")
    return t.assign(base_unit=t["indicator_id"].map(ind["base_unit"]), scale=t["indicator_id"].map(ind["scale"]))


def _as_of_inputs(plan: Plan, t: pd.DataFrame, as_of_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trend engine's start, origin and pace from what was known in ``as_of_year``: the last value
    of each target's series at or before it, the pace over the five years before that within its
    statistical segment. Growth and total targets keep the plan's baseline only when it is not after
    ``as_of_year``. Rows with nothing known then are left out, with the reason; rows whose target year
    is not after the last value are decided (their outcome is published)."""
    from ..rules.meaning import meets
    from ..rules.meaning import pace as _pace
    from .calibration import target_history

    t = _with_units(plan, t).reset_index(drop=True)
    keep = np.ones(len(t), dtype=bool)
    reasons = np.full(len(t), "", dtype=object)
    decided = np.full(len(t), "", dtype=object)
    outcome = np.full(len(t), np.nan)
    t = t.astype({"start": float, "centre": float, "years": float, "base_value": float})
    for k, r in enumerate(t.itertuples()):
        if r.kind in ("growth", "cumulative"):
            if int(r.base_year) > as_of_year:
                keep[k] = False
                reasons[k] = f"the plan's baseline is of {int(r.base_year)}, after as_of_year={as_of_year}"
            continue
        h = target_history(plan, r, as_of_year)
        if not len(h):
            keep[k], reasons[k] = False, f"no value of {r.series_id} up to {as_of_year}"
            continue
        origin, start = int(h.index[-1]), float(h.iloc[-1])
        if int(r.target_year) <= origin:
            at = h[h.index == int(r.target_year)]
            if len(at):
                outcome[k] = float(at.iloc[-1])
                met = bool(meets([outcome[k]], [r.target_value], [r.bound], [r.direction])[0])
                decided[k] = "met" if met else "missed"
                reasons[k] = (f"decided: {decided[k]} (outcome {outcome[k]:,.4g} in {int(r.target_year)}, published by "
                              f"{as_of_year})")
            else:
                reasons[k] = f"decided: the target year {int(r.target_year)} is not after the last value ({origin})"
            keep[k] = False
            continue
        w = h[h.index >= origin - 5]
        if len(w) >= 2:
            span = float(w.index[-1] - w.index[0])
            if r.kind in PP_KINDS:
                centre = (float(w.iloc[-1]) - float(w.iloc[0])) / span
            else:
                centre = float(_pace(["level"], [float(w.iloc[0])], [float(w.iloc[-1])], [span])[0][0])
        else:
            centre = np.nan
        t.loc[k, ["start", "base_value", "centre", "years", "base_year"]] = [
            start, start, centre, int(r.target_year) - origin, origin]
        if not np.isfinite(centre):
            # the class forecast may still run; the trend column stays empty (one value: no pace)
            t.loc[k, "centre"] = 0.0 if r.kind in PP_KINDS else 0.0
    t["years"] = t["years"].astype(int)
    t["base_year"] = t["base_year"].astype(int)
    late = t.loc[~keep, ["indicator_id", "name_en"]].assign(
        reason=reasons[~keep], decided=decided[~keep], outcome=outcome[~keep])
    late.attrs["decided_rows"] = t[(~keep) & (decided != "")].drop(columns=["base_unit", "scale"])
    return t[keep].drop(columns=["base_unit", "scale"]).reset_index(drop=True), late.reset_index(drop=True)


def _decided_outlook(plan: Plan, rows: pd.DataFrame, as_of_year: int, end_year: int) -> list[tuple[str, Marginal]]:
    """Class marginals from the latest value to ``end_year`` of targets already decided (their series'
    outlook; no probability)."""
    if rows is None or not len(rows):
        return []
    cal = _class_forecasts(plan, rows, as_of_year, end_year)
    return [(str(i), m) for i, m in cal["marginal"].items() if m is not None]


def _outlook_frame(plan: Plan, fan: pd.DataFrame, outlook: list, pairs: list, end_year: int | None) -> pd.DataFrame:
    """Each series' quantiles at ``end_year`` from its latest value (the fans' last year), one row per
    target (open or decided)."""
    cols = ["indicator_id", "name_en", "from_year", "from_value", "year", "q05", "q25", "q50", "q75", "q95",
            "series_class", "spread_source"]
    if end_year is None or not len(fan):
        return pd.DataFrame(columns=cols)
    at = fan[fan["year"] == int(end_year)]
    wide = at.pivot_table(index="indicator_id", columns="quantile", values="value", aggfunc="first")
    wide.columns = [f"q{int(round(q * 100)):02d}" for q in wide.columns]
    names = plan.indicators.set_index("indicator_id")["name_en"]
    rows = []
    for ident, m in [*pairs, *outlook]:
        if ident not in wide.index or m.transform == "growth":
            continue
        rows.append({"indicator_id": ident, "name_en": names.get(ident, ident), "from_year": int(m.origin),
                     "from_value": float(m.base), "year": int(end_year), **wide.loc[ident].to_dict(),
                     "series_class": m.series_class, "spread_source": m.details.get("spread_source", "")})
    return pd.DataFrame(rows, columns=cols).drop_duplicates("indicator_id").reset_index(drop=True)


def _empty_run(t: pd.DataFrame) -> dict:
    cols = ["indicator_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_year", "base_value",
            "target_year", "target_value", "bound", "direction", "years", "attribute", "volatility_source",
            "series_class", "class_description", "forecast_history", "history_note", "origin_year"]
    return {"t": t, "table": pd.DataFrame(columns=cols), "marginals": [], "horizons": np.zeros(0, dtype=int),
            "model": np.zeros(0, dtype=object)}


def _trend_run(t: pd.DataFrame) -> dict:
    """The trend engine's marginals, horizons and the result table's first columns."""
    mu = t["mu"].to_numpy(float)
    left, right = t["sigma_left"].to_numpy(float), t["sigma_right"].to_numpy(float)
    marginals = _trend_marginals(t, mu, left, right)
    horizons = t["years"].to_numpy(int)
    table = t[["indicator_id", "name_en", "name_zh", "kind", "unit", "price_basis", "base_year", "base_value",
               "target_year", "target_value", "bound", "direction", "years", "attribute"]].copy()
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    table["centre_rate"] = np.where(pp, np.nan, np.expm1(mu))
    table["centre_pp"] = np.where(pp, mu, np.nan)
    table["spread_unit"] = np.where(pp, "pp per year", "log points per year")
    for col in ("sigma", "sigma_left", "sigma_right", "volatility_source"):
        table[col] = t[col]
    trend_set = TargetSet.from_marginals(list(t["indicator_id"]), marginals, horizons,
                                         t["target_value"].to_numpy(float), lower_is_better(t["bound"], t["direction"]))
    table["probability_trend"] = trend_set.probability()
    for col in ("series_class", "class_description", "forecast_history", "history_note"):
        table[col] = ""
    table["origin_year"] = t["base_year"].to_numpy(int)
    return {"t": t, "table": table, "marginals": marginals, "horizons": horizons,
            "model": np.full(len(t), "trend, default spread", dtype=object)}


def _class_run(plan: Plan, run: dict, own: set, as_of_year: int | None,
               end_year: int | None) -> tuple[dict, pd.DataFrame, list[tuple[str, Marginal]]]:
    """Replace the trend marginals by the reference-class ones wherever a class forecast exists; drop the
    targets already decided by the information year (their series stay in the fans as an outlook)."""
    t, table = run["t"], run["table"]
    marginals, horizons, model = list(run["marginals"]), run["horizons"].copy(), run["model"].copy()
    cal = _class_forecasts(plan, t[~t["indicator_id"].isin(own)], None if as_of_year is None else int(as_of_year),
                           end_year)
    table["spread_source"] = table["volatility_source"].astype(str).radd("trend engine, ")
    none = np.zeros(len(t), dtype=bool)
    reasons = np.full(len(t), "", dtype=object)
    for k, ident in enumerate(t["indicator_id"]):
        if ident in own:
            continue
        if ident not in cal.index or cal.loc[ident, "marginal"] is None:
            # no reference-class forecast: no probability (the trend engine's spread is made up)
            none[k] = True
            reasons[k] = (cal.loc[ident, "reason"] if ident in cal.index else "") or "no reference-class forecast"
            continue
        m = cal.loc[ident, "marginal"]
        marginals[k], horizons[k], model[k] = m, int(t["target_year"].iloc[k]) - int(m.origin), "calibrated forecast"
        table.loc[k, ["series_class", "class_description", "forecast_history", "history_note", "spread_source"]] = [
            m.series_class, cal.loc[ident, "class_description"], ",".join(map(str, m.years_used)), m.note,
            m.details.get("spread_source", "")]
        table.loc[k, "origin_year"] = int(m.origin)
    decided = (table["target_year"].to_numpy(int) <= table["origin_year"].to_numpy(int)) & ~none
    outlook = [(str(t["indicator_id"].iloc[k]), marginals[k]) for k in np.flatnonzero(decided)
               if model[k] == "calibrated forecast"]
    ids = table["indicator_id"]
    gone = table.loc[decided, ["indicator_id", "name_en"]].assign(
        reason=[cal.loc[i, "reason"] if i in cal.index and cal.loc[i, "reason"] else
                "decided: the target year is not after the last value at the information year" for i in ids[decided]],
        decided=[cal.loc[i, "decided"] if i in cal.index else "" for i in ids[decided]],
        outcome=[cal.loc[i, "outcome"] if i in cal.index else np.nan for i in ids[decided]])
    refused = table.loc[none, ["indicator_id", "name_en"]].assign(reason=reasons[none], decided="", outcome=np.nan)
    gone = pd.concat([gone, refused], ignore_index=True)
    keep = ~decided & ~none
    run = {"t": t[keep].reset_index(drop=True), "table": table[keep].reset_index(drop=True),
           "marginals": [m for m, k in zip(marginals, keep, strict=True) if k], "horizons": horizons[keep],
           "model": model[keep]}
    return run, gone, outlook


def _monte_carlo_check(tset: TargetSet, n_draws: int, seed: int, chunk_size: int, progress) -> np.ndarray:
    """Share of joint draws meeting each target (a check of the closed form), in chunks: memory stays flat."""
    hits = np.zeros(len(tset))
    done = 0
    for y in tset.draws_y(n_draws, seed, chunk_size):
        hits += tset.met_y(y).sum(axis=1)
        done += y.shape[1]
        if progress is not None:
            progress(done, n_draws)
    return hits / n_draws


def _reference_columns(t: pd.DataFrame, table: pd.DataFrame, record: Any) -> dict:
    """Probabilities under the previous plan's delivery record (the trend engine with its centre and spread)."""
    ref_mu, extra, info = _reference_class(t, record)
    ref = _trend_marginals(t, ref_mu, np.sqrt(t["sigma_left"].to_numpy(float) ** 2 + extra ** 2),
                           np.sqrt(t["sigma_right"].to_numpy(float) ** 2 + extra ** 2))
    ref_set = TargetSet.from_marginals(list(t["indicator_id"]), ref, t["years"].to_numpy(int),
                                       t["target_value"].to_numpy(float), lower_is_better(t["bound"], t["direction"]))
    pp = t["kind"].isin(PP_KINDS).to_numpy()
    # a class of fewer than 3 previous-plan rows is no reference class: no probability, not 50%
    small = np.where(pp, info.get("pp rows", 0) < 3, info.get("rate rows", 0) < 3)
    p_ref = np.where(small, np.nan, ref_set.probability())
    table["reference_centre_rate"] = np.where(pp, np.nan, np.expm1(ref_mu))
    table["reference_centre_pp"] = np.where(pp, ref_mu, np.nan)
    table["probability_reference"] = p_ref
    table["probability_change"] = p_ref - table["probability"].to_numpy(float)
    return info


def _class_forecasts(plan: Plan, t: pd.DataFrame, as_of_year: int | None, end_year: int | None) -> pd.DataFrame:
    """Class marginals (:func:`~xiangxi_econ.probability.calibration.target_marginal`) for the rows that have one."""
    from .calibration import target_forecasts

    rows = _with_units(plan, t)
    if "base_year" in rows.columns and as_of_year is None:
        rows = rows.assign(base_year=rows["base_year"])
    cal = target_forecasts(plan, rows, as_of_year, probabilities=False, to_year=end_year)
    if cal.empty:
        cal = pd.DataFrame(columns=["indicator_id", "marginal", "reason", "decided", "outcome", "class_description"])
    return cal.set_index("indicator_id")


def _fan(t: pd.DataFrame, marginals: list[Marginal], end_year: int | None,
         outlook: list[tuple[str, Marginal]]) -> pd.DataFrame:
    """Path quantiles from each target's origin (its last value) to its target year (or ``end_year`` when
    its marginal reaches that far), in closed form year by year; ``outlook`` adds the series of targets
    already decided, from their last value to ``end_year``."""
    ids, ms, hs, years = [], [], [], []
    pairs = [(t["indicator_id"].iloc[k], m, int(t["target_year"].iloc[k])) for k, m in enumerate(marginals)]
    pairs += [(i, m, int(m.origin) + m.horizon) for i, m in outlook]
    for ident, m, target_year in pairs:
        if m.transform == "growth":  # a rate target has no level path to fan
            continue
        last = target_year if end_year is None else max(int(end_year), target_year)
        H = min(last - int(m.origin), m.horizon)
        for h in range(1, H + 1):
            ids.append(ident)
            ms.append(m)
            hs.append(h)
            years.append(int(m.origin) + h)
    if not ids:
        return pd.DataFrame(columns=["indicator_id", "year", "quantile", "value"])
    transforms = ["log" if m.transform == "total" else m.transform for m in ms]  # a total's path: its flows
    fs = TargetSet.from_marginals(ids, ms, hs, list(np.full(len(ids), np.nan)), [False] * len(ids), transforms)
    q = fs.quantiles(QUANTILES)
    rows = [pd.DataFrame({"indicator_id": ids, "year": years, "quantile": qq, "value": q[:, j]})
            for j, qq in enumerate(QUANTILES)]
    starts = pd.DataFrame([(ident, int(m.origin), qq, float(m.base))
                           for ident, m, _ in pairs if m.transform != "growth" for qq in QUANTILES],
                          columns=["indicator_id", "year", "quantile", "value"])
    out = pd.concat([starts, *rows], ignore_index=True)
    return out.sort_values(["indicator_id", "quantile", "year"], kind="stable").reset_index(drop=True)
