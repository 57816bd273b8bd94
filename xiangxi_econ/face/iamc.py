"""IAMC long format: export to and import from ``model, scenario, region, variable, unit, year, value``.

The IAMC format is what pyam and the integrated-assessment community read
(``pyam.IamDataFrame(frame)``). Mapping used here:

* a :class:`~xiangxi_econ.ScenarioSet` → one row per scenario, indicator and year; ``variable`` is
  the ``indicator_id``, ``scenario`` the scenario name;
* a plan's history (level observations) → ``scenario = "history"``, ``variable`` = ``series_id``;
* a plan's baselines and targets → ``scenario = "baseline"`` (value in the base year) and
  ``scenario = "target"`` (value in the target year), ``variable`` = ``indicator_id``.

Units are written as printed (亿元, %, 万人次) so a round trip is exact; ``model`` defaults to
``xiangxi_econ``; ``region`` defaults to the plan's ``meta["region"]`` (``meta.json`` in a plan
folder; ``"Xiangxi"`` for the embedded plan), else its title, so another plan is never labelled
Xiangxi. A ScenarioSet carries no plan: pass ``plan=`` or ``region=`` (default ``"unspecified"``).

References
----------
Huppmann, D. et al. (2021), "pyam: Analysis and visualisation of integrated assessment and
macro-energy scenarios", *Open Research Europe* 1:74 (the IAMC data format).
"""

from __future__ import annotations

import io
import os
from typing import Any

import pandas as pd

from ..data.plan import Plan
from ..exceptions import PlanFileError

IAMC_COLUMNS = ("model", "scenario", "region", "variable", "unit", "year", "value")
DEFAULT_MODEL = "xiangxi_econ"
#: Region of a ScenarioSet exported without ``region=`` (it does not know its plan).
DEFAULT_REGION = "unspecified"


def plan_region(plan: Plan, region: str | None = None) -> str:
    """``region`` if given, else the plan's ``meta["region"]``, else its title."""
    meta = plan.meta or {}
    return str(region or meta.get("region") or meta.get("title_en") or meta.get("title") or DEFAULT_REGION)


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[list(IAMC_COLUMNS)].copy()
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame.sort_values(["model", "scenario", "region", "variable", "year"], kind="stable").reset_index(drop=True)


def scenarios_to_iamc(scenarios, model: str = DEFAULT_MODEL, region: str | None = None,
                      plan: Plan | None = None) -> pd.DataFrame:
    """A :class:`~xiangxi_econ.ScenarioSet` (or its ``to_frame()``) in IAMC long format.

    The region is ``region`` if given, else that of ``plan`` (or of the set's own ``plan``
    attribute where it has one), else ``"unspecified"``.
    """
    plan = plan if plan is not None else getattr(scenarios, "plan", None)
    region = region or (plan_region(plan) if isinstance(plan, Plan) else DEFAULT_REGION)
    frame = scenarios.to_frame() if hasattr(scenarios, "to_frame") else scenarios
    return _finish(frame.rename(columns={"indicator_id": "variable"}).assign(model=model, region=region))


def history_to_iamc(plan: Plan, model: str = DEFAULT_MODEL, region: str | None = None) -> pd.DataFrame:
    """Level observations of a plan's history in IAMC long format (``scenario = "history"``).

    Where a quantity is printed several times for a year, the preferred source is kept (see
    :func:`xiangxi_econ.data.observations.preferred_levels`).
    """
    from ..data.observations import preferred_levels

    levels = preferred_levels(plan.history)
    return _finish(levels.rename(columns={"series_id": "variable"}).assign(model=model, scenario="history",
                                                                        region=plan_region(plan, region)))


def plan_to_iamc(plan: Plan, model: str = DEFAULT_MODEL, region: str | None = None) -> pd.DataFrame:
    """Baselines (``scenario = "baseline"``) and numeric targets (``scenario = "target"``) of a plan."""
    ind = plan.indicators
    base = ind[ind["base_value"].notna() & ind["base_year"].notna()]
    target = ind[ind["target_value"].notna() & ind["target_year"].notna()]
    parts = [
        pd.DataFrame({"scenario": "baseline", "variable": base["indicator_id"], "unit": base["unit"],
                      "year": base["base_year"], "value": base["base_value"]}),
        pd.DataFrame({"scenario": "target", "variable": target["indicator_id"], "unit": target["unit"],
                      "year": target["target_year"], "value": target["target_value"]}),
    ]
    return _finish(pd.concat(parts, ignore_index=True).assign(model=model, region=plan_region(plan, region)))


def to_iamc(obj, model: str = DEFAULT_MODEL, region: str | None = None, plan: Plan | None = None) -> pd.DataFrame:
    """IAMC long format of a Plan (baselines, targets and history) or a ScenarioSet.

    ``region`` defaults to the plan's region: the Plan's own, or for a ScenarioSet the ``plan``
    given (a ScenarioSet does not know its plan), else ``"unspecified"``.

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> frame = xe.to_iamc(xe.scenarios(xe.load_plan(), "plan", end_year=2025))
    >>> list(frame.columns)
    ['model', 'scenario', 'region', 'variable', 'unit', 'year', 'value']
    """
    if isinstance(obj, Plan):
        return _finish(pd.concat([plan_to_iamc(obj, model, region), history_to_iamc(obj, model, region)],
                                 ignore_index=True))
    if hasattr(obj, "scenarios") and hasattr(obj, "to_frame"):
        return scenarios_to_iamc(obj, model, region, plan=plan)
    raise TypeError(f"to_iamc: expected a Plan or a ScenarioSet; got {type(obj).__name__}")


#: The identifying columns of IAMC data, before the years.
IAMC_KEYS = ("model", "scenario", "region", "variable", "unit")
_EXPECTED = ("IAMC data: columns model, scenario, region, variable, unit and year, value (or one column per "
             "year such as 2020)")


def _read_iamc_file(path: Any) -> pd.DataFrame:
    """The table of an IAMC CSV file, through the plan readers' guard.

    The guard (:func:`xiangxi_econ.data.plan_io._read_text`, which reads plan, history and
    observations files) refuses a missing file, a folder, a pipe, device or socket (before opening
    it: reading one could block for ever or never end), a file over its size limit, an empty file,
    an Excel workbook and text that is not UTF-8 (GBK, UTF-16), each with a
    :class:`~xiangxi_econ.exceptions.PlanFileError` naming the file and what was expected.
    """
    from ..data.plan_io import _read_text

    text = _read_text(path, "csv")
    try:
        return pd.read_csv(io.StringIO(text, newline=""))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError, ValueError) as exc:
        raise PlanFileError(path, f"malformed CSV ({str(exc).strip()}); expected {_EXPECTED}") from None


def read_iamc(source: pd.DataFrame | str | os.PathLike[str]) -> pd.DataFrame:
    """Read IAMC data (a DataFrame, or a CSV path) in long or wide (one column per year) layout.

    Parameters
    ----------
    source : DataFrame, str or path-like
        A table, or the path of a UTF-8 CSV file (a byte-order mark is allowed).

    Returns
    -------
    pandas.DataFrame
        Long format with the seven IAMC columns.

    Raises
    ------
    PlanFileError
        For a file: not found, a folder, a pipe, device or socket, too large, empty, an Excel
        workbook, not UTF-8 (GBK, UTF-16), malformed CSV, missing IAMC columns, or a year or
        value that is not a number; the message names the file (and the row and column) and what
        was expected. A subclass of ``ValueError``.
    ValueError
        For a DataFrame with missing columns or a non-numeric year or value.
    TypeError
        When ``source`` is neither a DataFrame nor a path.
    """
    if isinstance(source, pd.DataFrame):
        frame, path = source.copy(), None
    elif isinstance(source, (str, os.PathLike)):
        frame, path = _read_iamc_file(source), source
    else:
        raise TypeError(f"read_iamc: expected a DataFrame or the path of a CSV file; got {type(source).__name__}")
    name = "frame" if path is None else str(path)

    def fail(message: str, row: int | None = None, column: str | None = None, value: Any = None) -> ValueError:
        if path is None:
            where = f", row {row}" if row is not None else ""
            return ValueError(f"{name}{where}: {message}")
        return PlanFileError(path, message, row=row, column=column, value=None if value is None else str(value))

    frame.columns = [str(c).strip().lower() if not str(c).strip().isdigit() else str(c).strip()
                     for c in frame.columns]
    keys = list(IAMC_KEYS)
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise fail(f"missing IAMC column(s) {', '.join(missing)}; expected {_EXPECTED}", row=1 if path else None)
    if "year" not in frame.columns:
        year_cols = [c for c in frame.columns if c.isdigit()]
        if not year_cols:
            raise fail("no 'year' and 'value' columns and no year columns such as 2020", row=1 if path else None)
        frame = frame.melt(id_vars=keys, value_vars=year_cols, var_name="year", value_name="value")
        frame = frame.dropna(subset=["value"])
    for col in ("year", "value"):
        frame[col] = _check_numbers(frame, col, fail)
    return _finish(frame)


def _check_numbers(frame: pd.DataFrame, col: str, fail: Any) -> pd.Series:
    """``frame[col]`` as numbers; the first cell that is not one raises ``fail(...)``."""
    converted = pd.to_numeric(frame[col], errors="coerce")
    bad = converted.isna() & frame[col].notna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        value = frame[col].iloc[i]
        raise fail(f"column '{col}': {value!r} is not a number", row=i + 2, column=col, value=value)
    return converted


def scenarios_from_iamc(source) -> pd.DataFrame:
    """Scenario paths from IAMC data, in the long layout of ``ScenarioSet.to_frame()``
    (``scenario, indicator_id, year, value, unit``)."""
    frame = read_iamc(source)
    return frame.rename(columns={"variable": "indicator_id"})[
        ["scenario", "indicator_id", "year", "value", "unit"]].reset_index(drop=True)
