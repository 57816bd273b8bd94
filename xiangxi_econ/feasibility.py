r"""Feasibility in scripts: is every target likely enough, and all of them together?

:func:`check` simulates the plan's targets (:func:`xiangxi_econ.simulate`, the calibrated engine) as
of an information year and compares each target's probability of being met with
``min_probability`` and the joint probability of meeting them together
(:meth:`~xiangxi_econ.probability.montecarlo.Simulation.joint_probability`, which integrates over
the shared national shock) with ``min_joint``. The result's ``ok`` is ``True`` when no probability is
below its threshold; the command ``xiangxi-econ check`` exits 1 otherwise, so a plan can be gated
in a script or in CI:

.. math::

    \text{ok} = \Big(\min_j P(\text{target } j \text{ met}) \ge p_{\min}\Big) \wedge
    \Big(P\big(\textstyle\bigcap_j \text{target } j \text{ met}\big) \ge p_{\text{joint}}\Big)

Targets that cannot be simulated (no baseline, no pace on one statistical basis, already decided
by the as-of year) are listed with the reason and do not enter either test.

References
----------
Gneiting, T. and Raftery, A. E. (2007), Strictly proper scoring rules, prediction, and estimation,
*JASA* 102(477) — the probabilities gated here are the forecasts the backtest scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ._display import ResultBase
from ._format import fit
from .data.plan import Plan
from .i18n import text

__all__ = ["check", "FeasibilityCheck"]


@dataclass(frozen=True, repr=False)
class FeasibilityCheck(ResultBase):
    """Result of :func:`check`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per simulated target checked: ``indicator_id, name_en, name_zh, attribute, unit,
        target_year, target_value, bound, probability`` [fraction] and ``below`` (probability under
        ``min_probability``).
    joint : float
        Probability that every checked target is met together [fraction]; NaN with fewer than one.
    not_simulated : pandas.DataFrame
        ``indicator_id, reason``: targets that could not be simulated.
    ok : bool
        No probability below its threshold.
    min_probability, min_joint : float
        The thresholds [fraction].
    as_of_year : int
    """

    table: pd.DataFrame
    joint: float
    not_simulated: pd.DataFrame
    ok: bool
    min_probability: float
    min_joint: float
    as_of_year: int
    title: str = "plan"
    settings: dict = field(default_factory=dict)

    def _frame(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def failures(self) -> list[str]:
        """What is below its threshold, in words (empty when ``ok``)."""
        out = [f"{r.indicator_id} {r.probability:.1%} < {self.min_probability:.0%}"
               for r in self.table.itertuples() if r.below]
        if not math.isnan(self.joint) and self.joint < self.min_joint:
            out.append(f"joint {self.joint:.1%} < {self.min_joint:.0%}")
        return out

    def _summary(self, lang: str = "en") -> str:
        name = "name_zh" if lang == "zh" else "name_en"
        lines = [text("check_head", lang, title=self.title, as_of=self.as_of_year,
                      min_p=f"{self.min_probability:.0%}", min_joint=f"{self.min_joint:.0%}"), ""]
        lines.append(f"{fit(text('check_columns', lang), 64)} {text('check_probability', lang):>10}")
        for r in self.table.itertuples():
            mark = " <" if r.below else ""
            lines.append(f"{fit(f'{r.indicator_id}  {getattr(r, name)}', 64)} {r.probability:>10.1%}{mark}")
        joint = "n/a" if math.isnan(self.joint) else f"{self.joint:.1%}"
        described = getattr(self.joint, "describe", None)
        lines.append(text("check_joint", lang, joint=joint + (f" ({described()})" if described and lang == "en"
                                                              else "")))
        if len(self.not_simulated):
            items = "; ".join(f"{r.indicator_id}: {r.reason}" for r in self.not_simulated.itertuples())
            lines.append(text("check_not_simulated", lang, n=len(self.not_simulated), items=items))
        lines.append("")
        lines.append(text("check_ok", lang) if self.ok else text("check_below", lang, items="; ".join(self.failures)))
        return "\n".join(lines)


def _fraction(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be a probability between 0 and 1 (0.5 for 50%); got {value!r}")
    return float(value)


def check(plan: Plan, as_of_year: int | None = None, binding_only: bool = False, min_probability: float = 0.5,
          min_joint: float = 0.2, n_draws: int = 20_000, seed: int = 0) -> FeasibilityCheck:
    """Each target's probability of being met and the joint one, against thresholds.

    Parameters
    ----------
    plan : Plan
    as_of_year : int, optional
        Information year of the forecasts [year]; default the plan's base year.
    binding_only : bool
        Check only the binding (约束性) targets.
    min_probability : float
        Smallest acceptable probability of each target [fraction, 0-1].
    min_joint : float
        Smallest acceptable probability that every checked target is met together [fraction, 0-1].
    n_draws, seed : int
        Monte Carlo draws of the engine's check and its seed (the probabilities are in closed form).

    Returns
    -------
    FeasibilityCheck
        ``ok`` is ``True`` when no probability is below its threshold.

    Raises
    ------
    ValueError
        For a threshold outside 0-1, or a plan with no target that can be simulated (nothing to check).

    Examples
    --------
    >>> import xiangxi_econ as xe
    >>> result = xe.check(xe.load_plan(), binding_only=True, min_probability=0.0, min_joint=0.0, n_draws=4096)
    >>> result.ok, len(result.table) + len(result.not_simulated)
    (True, 5)
    """
    from .analysis import simulate

    p_min, j_min = _fraction("min_probability", min_probability), _fraction("min_joint", min_joint)
    as_of = plan.periods.base_year if as_of_year is None else as_of_year
    sim = simulate(plan, n_draws=n_draws, seed=seed, as_of_year=as_of)
    t = sim.table
    attributes = sim.settings.get("attributes", {})
    skipped = sim.skipped
    reasons = dict(zip(skipped["indicator_id"].astype(str), skipped["reason"].astype(str), strict=True)) \
        if len(skipped) else {}
    if binding_only:
        t = t[t["attribute"] == "binding"]
        wanted = [i for i, a in attributes.items() if a == "binding"]
    else:
        wanted = list(dict.fromkeys([*attributes, *reasons]))
    simulated = set(t["indicator_id"])
    missing = pd.DataFrame({"indicator_id": [i for i in wanted if i not in simulated]})
    missing["reason"] = [reasons.get(i, "not simulated") for i in missing["indicator_id"]]
    if t.empty:
        what = "binding target" if binding_only else "target"
        why = ("; ".join(f"{r.indicator_id}: {r.reason}" for r in missing.itertuples())
               or "the plan has no numeric target")
        raise ValueError(f"check: no {what} of the plan could be simulated ({why}); expected a target with a "
                         "baseline and a published history (fill target_value and bound in indicators.csv)")
    cols = ["indicator_id", "name_en", "name_zh", "attribute", "unit", "target_year", "target_value", "bound",
            "probability"]
    table = t[[c for c in cols if c in t.columns]].reset_index(drop=True).copy()
    table["below"] = table["probability"].to_numpy(float) < p_min
    joint = sim.joint_probability(list(table["indicator_id"]))
    ok = not bool(table["below"].any()) and not (float(joint) < j_min)
    title = str(plan.meta.get("title_en") or plan.meta.get("title") or "plan")
    return FeasibilityCheck(table, joint, missing, ok, p_min, j_min, int(as_of), title,
                            {"n_draws": n_draws, "seed": seed, "binding_only": binding_only})
