"""Start a new plan in one step: the latest published record as baselines, targets left to fill.

:func:`new_plan` writes (or returns) a plan folder for the prefecture whose every series carries its
latest published value at or before the base year as its baseline — the year, source, clause and
grade of that figure carried — with the embedded observations and statistical breaks as its
history, and empty target columns in the unit the baseline is printed in. The user fills
``target_value`` and ``bound`` (and ``attribute``) of the rows they target and runs the analysis:

.. code-block:: bash

    xiangxi-econ new-plan --base-year 2025 --out myplan
    # fill target_value, bound (at_least / at_most / about / exact), attribute of five rows
    xiangxi-econ check --plan myplan

Where a series has figures both in the published record and in the previous plan's own text, the
latest year wins and, in the same year, the published figure (``observations.csv``) does.

References
----------
NDRC practice for five-year plan outlines: the base-year figure of each indicator is the latest
statistical bulletin's (湘西自治州2025年国民经济和社会发展统计公报 for a plan based in 2025).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._safe_io import refuse_link, write_bytes, write_csv, write_text
from ..exceptions import UserValueError
from ..i18n import series_name
from ..schema import INDICATOR_COLUMNS
from .plan_io import PathLike, _data_path
from .validation import record_history

__all__ = ["new_plan", "baseline_table", "record_history", "PLAN_FILES"]

#: The files :func:`new_plan` writes into the plan folder.
PLAN_FILES = ("indicators.csv", "history.csv", "observations.csv", "breaks.csv", "meta.json")

#: Kinds a baseline row may take (the plan's own kind of the series where it has one).
_BASE_KINDS = ("level", "share", "rate", "count")


def _plan_kinds(plan: Any) -> pd.DataFrame:
    """Name and kind of each series the embedded plan targets (its current plan's rows first)."""
    ind = plan.indicators
    current = ind["target_year"] == plan.periods.target_year
    rows = pd.concat([ind[current], ind[~current]])
    rows = rows[rows["kind"].isin(_BASE_KINDS)]
    return rows.drop_duplicates("series_id").set_index("series_id")[["name_zh", "name_en", "kind"]]


def _candidates(plan: Any, base_year: int) -> pd.DataFrame:
    """Every level figure at or before ``base_year``: published (observations) and the plan's own."""
    obs = plan.observations.table
    pub = obs[(obs["measure"] == "level") & obs["preferred"] & ((obs["version"] == "") | obs["used_by_plan"])
              & (obs["year"] <= base_year)]
    pub = pd.DataFrame({"series_id": pub["series_id"], "year": pub["year"].astype(int), "value": pub["value"],
                        "unit": pub["unit"], "price_basis": pub["price_basis"], "source": pub["source"],
                        "quote": pub["quote"], "grade": pub["grade"], "published": True, "measure": "level"})
    lv = plan.levels
    targeted = set(_plan_kinds(plan).index)
    own = lv[(lv["year"] <= base_year) & lv["series_id"].isin(targeted)]
    own = pd.DataFrame({"series_id": own["series_id"], "year": own["year"].astype(int), "value": own["value"],
                        "unit": own["unit"], "price_basis": own["price_basis"],
                        "source": own["source"].astype(str) + " (" + str(plan.meta.get("title", "plan")) + ")",
                        "quote": own.get("quote", ""), "grade": "", "published": False, "measure": "level"})
    growth = obs[(obs["measure"] == "growth_pct") & obs["preferred"] & (obs["year"] <= base_year)
                 & ~obs["series_id"].isin(set(pub["series_id"]) | set(own["series_id"]))]
    growth = pd.DataFrame({"series_id": growth["series_id"], "year": growth["year"].astype(int),
                           "value": growth["value"], "unit": growth["unit"], "price_basis": growth["price_basis"],
                           "source": growth["source"], "quote": growth["quote"], "grade": growth["grade"],
                           "published": True, "measure": "growth_pct"})
    return pd.concat([pub, own, growth], ignore_index=True)


def baseline_table(base_year: int = 2025, target_year: int | None = None, plan: Any = None) -> pd.DataFrame:
    """The indicators table of a new plan: one row per series, its latest figure at or before
    ``base_year`` as the baseline, the target columns empty.

    Parameters
    ----------
    base_year : int
        The new plan's base year [calendar year]; baselines are the latest figures up to it.
    target_year : int, optional
        The target year written in every row [calendar year]; default ``base_year + 5``.
    plan : Plan, optional
        Where the record comes from; default the embedded Xiangxi plan and its observations.

    Returns
    -------
    pandas.DataFrame
        The columns of ``indicators.csv`` plus ``base_grade`` (the source grade of the baseline,
        empty for a figure of the plan's own text). ``base_year`` is the year of the figure, which
        may be earlier than ``base_year`` when nothing later was published (said in ``note``).

    Examples
    --------
    >>> t = baseline_table(2025).set_index("indicator_id")
    >>> float(t.loc["gdp", "base_value"]), int(t.loc["gdp", "base_year"]), t.loc["gdp", "unit"]
    (889.5, 2025, '亿元')
    """
    from .plan import load_plan

    base_year = _year(base_year, "base_year")
    target_year = base_year + 5 if target_year is None else _year(target_year, "target_year")
    if target_year <= base_year:
        raise UserValueError("target_year", target_year, f"expected a year after base_year {base_year}")
    plan = load_plan() if plan is None else plan
    cand = _candidates(plan, base_year)
    if cand.empty:
        raise UserValueError("base_year", base_year, "no published figure at or before it; expected a year the "
                                                     "record covers (2007 or later)")
    cand = cand.sort_values(["series_id", "year", "published"], kind="stable")
    latest = cand.groupby("series_id", sort=True).tail(1).set_index("series_id")
    kinds = _plan_kinds(plan)
    sid = latest.index.to_numpy()
    percent = latest["unit"].map(plan.units.table["base_unit"]).to_numpy() == "percent"
    growth = latest["measure"].to_numpy() == "growth_pct"
    own_kind = pd.Series(sid).map(kinds["kind"]).to_numpy(object)
    kind = np.where(growth, "growth", np.where(pd.isna(own_kind), np.where(percent, "share", "level"), own_kind))
    name_en = [kinds.at[s, "name_en"] if s in kinds.index else series_name(s, "en") for s in sid]
    name_zh = [kinds.at[s, "name_zh"] if s in kinds.index else series_name(s, "zh") for s in sid]
    years = latest["year"].to_numpy(int)
    grade = latest["grade"].fillna("").astype(str).to_numpy()
    what = np.where(growth, "latest published annual growth", "latest published figure")
    note = [f"baseline: {w} ({y}{', grade ' + g if g else ''}"
            f"{'' if y == base_year else f'; none published for {y + 1}-{base_year}'}); "
            f"fill target_value in {u} and bound (at_least / at_most / about / exact)"
            for w, y, g, u in zip(what, years, grade, latest["unit"], strict=True)]
    frame = pd.DataFrame({c.name: "" for c in INDICATOR_COLUMNS}, index=range(len(sid)))
    frame = frame.assign(indicator_id=sid, series_id=sid, name_zh=name_zh, name_en=name_en, kind=kind,
                         unit=latest["unit"].to_numpy(), price_basis=latest["price_basis"].to_numpy(),
                         base_year=pd.array(years, dtype="Int64"), base_value=latest["value"].to_numpy(float),
                         target_year=pd.array(np.full(len(sid), target_year), dtype="Int64"), target_value=np.nan,
                         source=latest["source"].astype(str).to_numpy(),
                         quote=latest["quote"].fillna("").astype(str).to_numpy(), note=note, base_grade=grade)
    frame["stated_change_value"] = np.nan
    return frame


def _history(plan: Any, series_ids: Any, up_to_year: int) -> pd.DataFrame:
    """The published levels up to ``up_to_year`` and, for years the record does not print, the previous
    plan's own printed levels (its 2015 and 2020 figures), each with its source."""
    pub = record_history(plan.observations.table, series_ids, up_to_year)
    lv = plan.levels
    own = lv[lv["series_id"].isin(set(series_ids)) & (lv["year"] <= up_to_year)]
    have = set(zip(pub["series_id"], pub["year"].astype(int), strict=True))
    own = own[[(s, int(y)) not in have for s, y in zip(own["series_id"], own["year"], strict=True)]]
    own = own.drop_duplicates(["series_id", "year"])
    title = str(plan.meta.get("title", "plan"))
    mine = pd.DataFrame({"series_id": own["series_id"].to_numpy(), "year": pd.array(own["year"], dtype="Int64"),
                         "start_year": pd.array([pd.NA] * len(own), dtype="Int64"), "measure": "level",
                         "value": own["value"].to_numpy(float), "value_text": "", "unit": own["unit"].to_numpy(),
                         "price_basis": own["price_basis"].to_numpy(),
                         "source": (own["source"].astype(str) + f" ({title})").to_numpy(),
                         "quote": own["quote"].fillna("").astype(str).to_numpy()})
    out = pd.concat([pub, mine], ignore_index=True).sort_values(["series_id", "year"], kind="stable")
    return out.reset_index(drop=True)


def _only_series(data: bytes, series: set[str]) -> bytes:
    """The rows of a shipped CSV whose ``series_id`` has a row in the new plan (a series first published
    after the base year has none, and would only be an unknown series to the reader); the bytes as they
    are when every row is kept."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    col = rows[0].index("series_id")
    kept = [r for r in rows[1:] if r and r[col] in series]
    if len(kept) == len(rows) - 1:
        return data
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows([rows[0], *kept])
    return out.getvalue().encode("utf-8")


def _year(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer, float)) \
            or not float(value).is_integer() or not 1990 <= float(value) <= 2200:
        raise UserValueError(name, value, "expected a calendar year such as 2025")
    return int(value)


def new_plan(base_year: int = 2025, out: PathLike | None = None, target_year: int | None = None,
             force: bool = False) -> Any:
    """Start a plan from the latest record: baselines filled, targets left to fill.

    Parameters
    ----------
    base_year : int
        The plan's base year [calendar year]; every series' latest published value at or before it
        is its baseline (year, source, clause and grade carried).
    out : str or path-like, optional
        A folder to write ``indicators.csv`` (UTF-8 with a byte-order mark, for Excel), ``history.csv``
        (the published levels up to the base year, which the historical pace reads),
        ``observations.csv`` and ``breaks.csv`` (the embedded record and its statistical breaks) and
        ``meta.json``.
        Created if missing. Without it nothing is written.
    target_year : int, optional
        Default ``base_year + 5``.
    force : bool
        Overwrite those four files if the folder already holds them (never any other file).

    Returns
    -------
    Plan
        The new plan, read back from ``out`` through :func:`~xiangxi_econ.read_plan` (or built from
        the frames through the same checks when ``out`` is not given).

    Raises
    ------
    UserValueError
        A base or target year that is not a plausible calendar year.
    FileExistsError
        When ``out`` already holds one of the files and ``force`` is not given.

    Examples
    --------
    >>> plan = new_plan(2025)
    >>> plan.level("urbanisation_rate", 2025).value
    55.24
    """
    from .plan import build_plan, load_plan, read_plan

    table = baseline_table(base_year, target_year)
    meta = {"title": f"Xiangxi Prefecture five-year plan {int(table['target_year'].iloc[0]) - 4}-"
                     f"{int(table['target_year'].iloc[0])}: targets to fill",
            "title_en": f"Xiangxi Prefecture five-year plan, based in {int(base_year)}: targets to fill",
            "region": "Xiangxi", "region_zh": "湘西土家族苗族自治州", "base_year": int(base_year),
            "baselines": f"latest published figure of each series at or before {int(base_year)}"}
    embedded = load_plan()
    observed = embedded.observations
    history = _history(embedded, table["series_id"], int(base_year))
    if out is None:
        return build_plan(table, history, meta=meta, observations=observed)
    folder = Path(out)
    if str(out).strip() == "":
        raise UserValueError("out", out, "expected a folder name")
    refuse_link(folder, "plan folder")
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(f"{folder} exists and is not a folder; expected a folder for the new plan")
    clash = [n for n in PLAN_FILES if (folder / n).exists()]
    if clash and not force:
        raise FileExistsError(f"{folder} already holds {', '.join(clash)}; choose another folder or pass force=True "
                              "(--force) to overwrite these files")
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(table, folder / "indicators.csv")
    write_csv(history, folder / "history.csv")
    for name in ("observations.csv", "breaks.csv"):
        write_bytes(folder / name, _only_series(_data_path(name).read_bytes(), set(table["series_id"])))
    write_text(folder / "meta.json", json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    return read_plan(folder)
