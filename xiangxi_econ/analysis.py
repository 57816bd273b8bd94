"""One analysis of a plan: the targets table computed once, every result built from it on first use.

>>> import xiangxi_econ as xe
>>> an = xe.analyse(xe.load_plan(), n_draws=2_000)
>>> float(round(an.targets.set_index("indicator_id").loc["gdp", "required_rate"], 4))
0.0664
>>> an.assessment.method
'unsd2020'

:func:`~xiangxi_econ.assess`, :func:`~xiangxi_econ.track_record`,
:func:`~xiangxi_econ.check_consistency`, :func:`~xiangxi_econ.scenarios` and
:func:`~xiangxi_econ.simulate` stay available as functions; they are the same computations, given
the shared pieces (the history-window pace and the targets table) so that nothing is derived twice.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

import pandas as pd

from ._display import ResultBase
from .data.plan import Plan
from .exceptions import UnknownIndicatorError, UserValueError
from .i18n import check_lang
from .rules import targets as _targets
from .rules.verdicts import DEFAULT_METHOD, get_method

if TYPE_CHECKING:  # pragma: no cover
    from .probability.backtesting import Backtest
    from .probability.montecarlo import Simulation
    from .results.assessment import Assessment
    from .results.consistency import ConsistencyReport
    from .results.progress import ProgressEvaluation
    from .results.record import PlanComparison, TrackRecord
    from .results.scenario import ScenarioSet
    from .rules.historical import HistoricalPace


@dataclass(repr=False, eq=False)
class Analysis(ResultBase):
    """Everything the library says about one plan, each part computed once, on first use.

    Attributes
    ----------
    plan : Plan
    method : str
        Verdict method (``unsd2020``, ``eurostat``, ``unsd2023``).
    inflation : float or None
        Inflation assumption [fraction per year] for comparing real and current-price rates.
    lang : {"en", "zh"}
    n_draws : int
        Monte Carlo draws for :attr:`simulation` [draws].
    seed : int
    progress : callable, optional
        ``progress(done, total)`` during the simulation.
    """

    plan: Plan
    method: str = DEFAULT_METHOD
    inflation: float | None = None
    lang: str = "en"
    n_draws: int = 100_000
    seed: int = 0
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        get_method(self.method)
        check_lang(self.lang)

    # ------------------------------------------------------------------ the shared pieces
    @functools.cached_property
    def historical(self) -> HistoricalPace:
        """Pace of every series over the plan's history window."""
        from .rules.historical import historical_pace

        return historical_pace(self.plan)

    @functools.cached_property
    def targets(self) -> pd.DataFrame:
        """The targets table (:func:`~xiangxi_econ.rules.targets.targets_table`), computed once."""
        return _targets.targets_table(self.plan, self.inflation, historical=self.historical)

    # ------------------------------------------------------------------ results
    @functools.cached_property
    def assessment(self) -> Assessment:
        from .results.assessment import assess

        return assess(self.plan, self.method, self.inflation, lang=self.lang, targets=self.targets)

    @functools.cached_property
    def track_record(self) -> TrackRecord:
        from .results.record import track_record

        return track_record(self.plan, targets=self.targets)

    @functools.cached_property
    def consistency(self) -> ConsistencyReport:
        from .results.consistency import check_consistency

        return check_consistency(self.plan, historical=self.historical)

    @functools.cached_property
    def scenarios(self) -> ScenarioSet:
        from .results.scenario import scenarios

        return scenarios(self.plan, "plan", "trend", targets=self.targets, historical=self.historical)

    @functools.cached_property
    def simulation(self) -> Simulation:
        from .probability.montecarlo import simulate

        return simulate(self.plan, n_draws=self.n_draws, seed=self.seed, progress=self.progress,
                        targets=self.targets)

    @functools.cached_property
    def evaluation(self) -> ProgressEvaluation:
        """End-of-plan (or latest) evaluation on the plan's published outcomes."""
        from .results.progress import evaluate_progress

        return evaluate_progress(self.plan, targets=self.targets)

    @functools.cached_property
    def latest_year(self) -> int:
        """The latest year with a published figure (``plan.observations``), else the base year."""
        obs = getattr(self.plan, "observations", None)
        years = obs.table["year"] if obs is not None and len(obs.table) else pd.Series(dtype=int)
        return int(max(years.max(), self.plan.periods.base_year)) if len(years) else self.plan.periods.base_year

    @functools.cached_property
    def outlook(self) -> Simulation | None:
        """Where the plan's series go from the latest published figures, five years on, when the plan's
        target year has already passed (``None`` otherwise: the simulation is the outlook)."""
        from .probability.montecarlo import simulate

        latest = self.latest_year
        if latest < self.plan.periods.target_year:
            return None
        return simulate(self.plan, n_draws=min(self.n_draws, 20_000), seed=self.seed, targets=self.targets,
                        as_of_year=latest, end_year=latest + 5)

    @functools.cached_property
    def backtest(self) -> Backtest:
        """How the engine's ex-ante probabilities scored on the plans' published outcomes."""
        from .probability.backtesting import backtest

        return backtest(self.plan, self.evaluation, self.track_record, targets=self.targets)

    @functools.cached_property
    def comparison(self) -> PlanComparison:
        """The previous plan and this plan against their own targets."""
        from .results.record import compare_plans

        return compare_plans(self.plan, self.evaluation, self.track_record)

    # ------------------------------------------------------------------ display
    def _frame(self) -> pd.DataFrame:
        return self.assessment.to_frame()

    def _summary(self, lang: str = "en") -> str:
        periods = self.plan.periods
        title = self.plan.meta.get("title_en") or self.plan.meta.get("title") or "plan"
        lines = [f"Analysis of {title}: base {periods.base_year}, targets for {periods.target_year}, "
                 f"history window {periods.history_label}", ""]
        lines.append(self.assessment.summary(lang).split("\n\n", 1)[0])
        return "\n".join(lines)

    def _plot(self, ax: Any = None, **kwargs: Any) -> Any:
        return self.assessment.plot(ax=ax, **kwargs)


def analyse(plan: Plan | None = None, method: str = DEFAULT_METHOD, inflation: float | None = None,
            lang: str = "en", n_draws: int = 100_000, seed: int = 0,
            progress: Callable[[int, int], None] | None = None) -> Analysis:
    """Start an analysis of ``plan`` (default: the embedded Xiangxi plan).

    Parameters
    ----------
    plan : Plan, optional
    method : {"unsd2020", "eurostat", "unsd2023"}
        Verdict method.
    inflation : float, optional
        Inflation assumption [fraction per year].
    lang : {"en", "zh"}
    n_draws : int
        Monte Carlo draws [draws].
    seed : int
    progress : callable, optional

    Returns
    -------
    Analysis
        Its ``targets``, ``assessment``, ``track_record``, ``consistency``, ``scenarios`` and
        ``simulation`` are computed on first use and kept.
    """
    if plan is None:
        from .data.plan import load_plan

        plan = load_plan()
    return Analysis(plan, method, inflation, lang, n_draws, seed, progress)



# ---------------------------------------------------------------------- verbs that join the two wings

def simulate(plan: Plan, n_draws: int = 100_000, seed: int = 0, *, reference_class: bool = False,
             targets: pd.DataFrame | None = None, **kwargs: Any) -> Simulation:
    """:func:`xiangxi_econ.probability.montecarlo.simulate`, with the previous plan's track record
    computed here when ``reference_class`` asks for it (the probability wing never imports the
    evaluation; the core hands it the frame). Every argument and the result are those of
    :func:`~xiangxi_econ.probability.montecarlo.simulate`.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> sim = xe.simulate(xe.load_plan(), n_draws=2_000, reference_class=True)
    >>> "probability_reference" in sim.to_frame().columns
    True
    """
    from .probability.montecarlo import simulate as _simulate

    if reference_class and kwargs.get("record") is None:
        from .results.record import track_record

        kwargs["record"] = track_record(plan, targets=targets)
    return _simulate(plan, n_draws=n_draws, seed=seed, reference_class=reference_class, targets=targets, **kwargs)


def backtest(plan: Plan, n_draws: int | None = None, seed: int = 0, series: tuple[str, ...] | None = None,
             targets: pd.DataFrame | None = None, evaluation: Any = None, record: Any = None) -> Backtest:
    """Score the engine's ex-ante probabilities against what happened.

    The core computes what happened (:func:`~xiangxi_econ.evaluate_progress` of the plan,
    :func:`~xiangxi_econ.track_record` of the previous plan) unless given, and hands both to
    :func:`xiangxi_econ.probability.backtesting.backtest`, whose parameters and result these are.
    """
    from .probability.backtesting import backtest as _backtest
    from .results.progress import evaluate_progress
    from .results.record import track_record

    if series is not None:
        if isinstance(series, str) or not all(isinstance(s, str) for s in series):
            raise UserValueError("series", series, "expected a tuple of series ids, e.g. ('gdp',)")
        known = set(plan.indicators["series_id"].astype(str))
        unknown = [s for s in series if s not in known]
        if unknown:
            raise UnknownIndicatorError(unknown[0], sorted(known), "series")
    targets = _targets.targets_table(plan) if targets is None else targets
    evaluation = evaluate_progress(plan, targets=targets) if evaluation is None else evaluation
    record = track_record(plan, targets=targets) if record is None else record
    return _backtest(plan, evaluation, record, n_draws=n_draws, seed=seed, series=series, targets=targets)
