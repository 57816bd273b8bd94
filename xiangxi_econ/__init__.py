"""xiangxi_econ: is a five-year plan's target reachable?

The Xiangxi Tujia and Miao Autonomous Prefecture 14th Five-Year Plan (2021-2025) as data, with
the growth mathematics to test its targets.

>>> import xiangxi_econ as xe
>>> plan = xe.load_plan()
>>> plan.source("gdp").source
'专栏2 序号1'

Importing the package is light: submodules (and pandas, scipy) load on first use of a name.
"""

from __future__ import annotations

from ._lazy import lazy_module as _lazy_module

__version__ = "0.1.0"

#: public name -> submodule that defines it
_EXPORTS = {
    "Plan": "plan",
    "SourceRef": "plan",
    "load_plan": "plan",
    "read_plan": "plan",
    "build_plan": "plan",
    "PlanFileError": "exceptions",
    "ReportError": "exceptions",
    "UnknownIndicatorError": "exceptions",
    "StatisticalBreakError": "exceptions",
    "read_indicators": "plan_io",
    "read_history": "plan_io",
    "default_units": "plan_io",
    "cagr": "growth",
    "project": "growth",
    "project_path": "growth",
    "required_rate": "growth",
    "pace_pp": "growth",
    "project_pp": "growth",
    "growth_rates": "growth",
    "required_rate_cumulative": "growth",
    "cumulative_total": "growth",
    "CumulativeRateResult": "growth",
    "PercentLikeRateWarning": "exceptions",
    "CJKFontMissingWarning": "exceptions",
    "SolverConvergenceWarning": "exceptions",
    "nominal_rate": "prices",
    "deflate": "prices",
    "inflate": "prices",
    "check_same_basis": "prices",
    "convert_rate": "prices",
    "assess": "assessment",
    "targets_table": "targets",
    "load_observations": "observed",
    "read_observations": "observed",
    "Observations": "observed",
    "analyse": "analysis",
    "Analysis": "analysis",
    "PlanPeriods": "periods",
    "Level": "plan",
    "Assessment": "assessment",
    "historical_pace": "historical",
    "HistoricalPace": "historical",
    "track_record": "record",
    "compare_plans": "record",
    "PlanComparison": "record",
    "TrackRecord": "record",
    "evaluate_progress": "progress",
    "ProgressEvaluation": "progress",
    "VERDICT_METHODS": "verdicts",
    "check_consistency": "consistency",
    "Scenario": "scenario",
    "Shock": "scenario",
    "ScenarioSet": "scenario",
    "scenarios": "scenario",
    "simulate": "montecarlo",
    "forecast": "forecasting",
    "Forecast": "forecasting",
    "backtest_panel": "forecasting",
    "backtest": "backtesting",
    "Backtest": "backtesting",
    "target_forecasts": "calibration",
    "plot_forecast": "plotting",
    "plot_calibration": "plotting",
    "SectorStructure": "models",
    "TourismModel": "models",
    "RDIntensityModel": "models",
    "UrbanisationModel": "models",
    "ProductivityModel": "models",
    "ShareOfGDPModel": "models",
    "plot_target_path": "plotting",
    "plot_target_grid": "plotting",
    "plot_pace_comparison": "plotting",
    "plot_fan": "plotting",
    "plot_outcome_path": "plotting",
    "plot_plan_comparison": "plotting",
    "plot_tourism_decomposition": "plotting",
    "build_report": "report",
    "to_iamc": "iamc",
    "read_iamc": "iamc",
    "scenarios_from_iamc": "iamc",
    "write_excel": "export",
    "Simulation": "montecarlo",
    "ConsistencyReport": "consistency",
    "Finding": "consistency",
    "real_rate": "prices",
    "implied_deflator_rate": "prices",
    "PriceBasisError": "exceptions",
    "UserValueError": "exceptions",
    "UnknownSeriesWarning": "exceptions",
    "validate_plan": "validation",
    "check_plan": "validation",
    "read_plan_observations": "validation",
    "ValidationResult": "validation",
    "TargetSet": "engine",
    "series_class": "series_classes",
    "load_context": "context",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


__getattr__, __dir__ = _lazy_module(__name__, _EXPORTS)
