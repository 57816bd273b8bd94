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

from __future__ import annotations

from ._lazy import lazy_module as _lazy_module

__version__ = "0.1.0"

#: the verbs and the types they need: public name -> submodule that defines it
_EXPORTS = {
    # plans and data
    "load_plan": "plan",
    "read_plan": "plan",
    "build_plan": "plan",
    "validate_plan": "validation",
    "targets_table": "targets",
    "load_observations": "observed",
    "read_observations": "observed",
    # what was asked, what happened
    "analyse": "analysis",
    "assess": "assessment",
    "historical_pace": "historical",
    "evaluate_progress": "progress",
    "track_record": "record",
    "compare_plans": "record",
    "check_consistency": "consistency",
    # what may happen, and how far to trust it
    "scenarios": "scenario",
    "simulate": "montecarlo",
    "forecast": "forecasting",
    "backtest": "backtesting",
    # output
    "build_report": "report",
    "write_excel": "export",
    "to_iamc": "iamc",
    # types the verbs take
    "Plan": "plan",
    "Scenario": "scenario",
    "Shock": "scenario",
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
_NAMESPACES = {"growth": "growth", "prices": "prices", "models": "models", "plot": "plotting", "io": "io"}

_GROWTH = ("cagr", "project", "project_path", "required_rate", "pace_pp", "project_pp", "growth_rates",
           "required_rate_cumulative", "cumulative_total", "CumulativeRateResult")
_PRICES = ("nominal_rate", "deflate", "inflate", "check_same_basis", "convert_rate", "real_rate",
           "implied_deflator_rate")
_MODELS = ("SectorStructure", "TourismModel", "RDIntensityModel", "UrbanisationModel", "ProductivityModel",
           "ShareOfGDPModel")
_PLOTS = ("plot_forecast", "plot_calibration", "plot_target_path", "plot_target_grid", "plot_pace_comparison",
          "plot_fan", "plot_outcome_path", "plot_plan_comparison", "plot_tourism_decomposition")
_IO = {"read_indicators": "plan_io", "read_history": "plan_io", "default_units": "plan_io", "read_iamc": "iamc",
       "scenarios_from_iamc": "iamc", "check_plan": "validation", "read_plan_observations": "validation",
       "ValidationResult": "validation"}
_RESULTS = {"SourceRef": "plan", "Level": "plan", "Observations": "observed", "PlanPeriods": "periods",
            "Assessment": "assessment", "HistoricalPace": "historical", "TrackRecord": "record",
            "PlanComparison": "record", "ProgressEvaluation": "progress", "VERDICT_METHODS": "verdicts",
            "ConsistencyReport": "consistency", "Finding": "consistency", "ScenarioSet": "scenario",
            "Simulation": "montecarlo", "Forecast": "forecasting", "backtest_panel": "forecasting",
            "Backtest": "backtesting", "target_forecasts": "calibration", "TargetSet": "engine",
            "series_class": "series_classes", "load_context": "context"}

#: former top-level names, one release more: name -> (defining submodule, new home)
_MOVED = {
    **{n: ("growth", "xe.growth") for n in _GROWTH},
    **{n: ("prices", "xe.prices") for n in _PRICES},
    **{n: ("models", "xe.models") for n in _MODELS},
    **{n: ("plotting", "xe.plot") for n in _PLOTS},
    **{n: (m, "xe.io") for n, m in _IO.items()},
    **{n: (m, f"xiangxi_econ.{m}") for n, m in _RESULTS.items()},
}

__all__ = sorted(_EXPORTS) + sorted(_NAMESPACES) + ["__version__"]


__getattr__, __dir__ = _lazy_module(__name__, _EXPORTS, _NAMESPACES, _MOVED)
