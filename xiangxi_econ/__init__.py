"""xiangxi_econ: is a five-year plan's target reachable?

The Xiangxi Tujia and Miao Autonomous Prefecture 14th Five-Year Plan (2021-2025) as data, with
the growth mathematics to test its targets.

>>> import xiangxi_econ as xe
>>> plan = xe.load_plan()
>>> plan.source("gdp").source
'专栏2 序号1'

Importing the package is light: submodules (and pandas, scipy) load on first use of a name.

The top level holds the verbs of the work (load and check a plan, assess, evaluate, forecast,
simulate, score, report) with the types and errors they need; the rest lives in namespaces:
``xe.growth`` (growth-rate arithmetic), ``xe.prices`` (price bases), ``xe.models`` (structural
models), ``xe.plot`` (charts) and ``xe.io`` (reading and writing). Names that used to sit at the top
level still work for one release, with a DeprecationWarning naming their new home.
"""

from ._lazy import lazy_module as _lazy_module

__version__ = "0.1.0"

#: the verbs and the types they need: public name -> submodule that defines it
_EXPORTS = {
    # plans and data
    "load_plan": "data.plan",
    "read_plan": "data.plan",
    "build_plan": "data.plan",
    "validate_plan": "rules.validate",
    "targets_table": "rules.targets",
    "load_observations": "data.observed",
    "read_observations": "data.observed",
    # what was asked, what happened
    "analyse": "analysis",
    "assess": "results.assessment",
    "historical_pace": "rules.historical",
    "evaluate_progress": "results.progress",
    "track_record": "results.record",
    "compare_plans": "results.record",
    "province_beside": "results.province",
    "check_consistency": "results.consistency",
    # what may happen, and how far to trust it
    "scenarios": "results.scenario",
    "simulate": "analysis",
    "forecast": "probability.forecasting",
    "backtest": "analysis",
    "outside_view": "probability.outside_view",
    # output
    "build_report": "face.report",
    "write_excel": "face.export",
    "to_iamc": "face.iamc",
    # types the verbs take
    "Plan": "data.plan",
    "Scenario": "results.scenario",
    "Shock": "results.scenario",
    "Analysis": "analysis",
    # errors and warnings to catch
    "PlanFileError": "exceptions",
    "ReportError": "exceptions",
    "UnknownIndicatorError": "exceptions",
    "StatisticalBreakError": "exceptions",
    "PriceBasisError": "exceptions",
    "UserValueError": "exceptions",
    "PercentLikeRateWarning": "exceptions",
    "CJKFontMissingWarning": "exceptions",
    "SolverConvergenceWarning": "exceptions",
    "UnknownSeriesWarning": "exceptions",
}

#: namespaces: attribute -> submodule
_NAMESPACES = {
    "growth": "maths.growth",
    "prices": "maths.prices",
    "models": "results.models",
    "plot": "face.plotting",
    "io": "io",
}

_GROWTH = ("cagr", "project", "project_path", "required_rate", "pace_pp", "project_pp", "growth_rates",
           "required_rate_cumulative", "cumulative_total", "CumulativeRateResult")
_PRICES = ("nominal_rate", "deflate", "inflate", "check_same_basis", "convert_rate", "real_rate",
           "implied_deflator_rate")
_MODELS = ("SectorStructure", "TourismModel", "RDIntensityModel", "UrbanisationModel", "ProductivityModel",
           "ShareOfGDPModel")
_PLOTS = ("plot_forecast", "plot_calibration", "plot_target_path", "plot_target_grid", "plot_pace_comparison",
          "plot_fan", "plot_outcome_path", "plot_plan_comparison", "plot_tourism_decomposition")
_IO = {
    "read_indicators": "data.plan_io",
    "read_history": "data.plan_io",
    "default_units": "data.plan_io",
    "read_iamc": "face.iamc",
    "scenarios_from_iamc": "face.iamc",
    "check_plan": "data.validation",
    "read_plan_observations": "data.validation",
    "ValidationResult": "rules.validate",
}
_RESULTS = {
    "SourceRef": "data.plan",
    "Level": "data.plan",
    "Observations": "data.observed",
    "PlanPeriods": "periods",
    "Assessment": "results.assessment",
    "HistoricalPace": "rules.historical",
    "TrackRecord": "results.record",
    "PlanComparison": "results.record",
    "ProgressEvaluation": "results.progress",
    "VERDICT_METHODS": "rules.verdicts",
    "ConsistencyReport": "results.consistency",
    "Finding": "results.consistency",
    "ScenarioSet": "results.scenario",
    "Simulation": "probability.montecarlo",
    "Forecast": "probability.forecasting",
    "backtest_panel": "probability.forecasting",
    "Backtest": "probability.backtesting",
    "target_forecasts": "probability.calibration",
    "TargetSet": "probability.engine",
    "series_class": "probability.series_classes",
    "load_context": "data.context",
}

#: former top-level names, one release more: name -> (defining submodule, new home)
_MOVED = {
    **{n: ("maths.growth", "xe.growth") for n in _GROWTH},
    **{n: ("maths.prices", "xe.prices") for n in _PRICES},
    **{n: ("results.models", "xe.models") for n in _MODELS},
    **{n: ("face.plotting", "xe.plot") for n in _PLOTS},
    **{n: (m, "xe.io") for n, m in _IO.items()},
    **{n: (m, f"xiangxi_econ.{m}") for n, m in _RESULTS.items()},
}

__all__ = sorted(_EXPORTS) + sorted(_NAMESPACES) + ["__version__"]


__getattr__, __dir__ = _lazy_module(__name__, _EXPORTS, _NAMESPACES, _MOVED)
