"""Validate a plan as the analysis will read it: the files, then its targets table.

:func:`validate_plan` reads a plan folder or file through the readers of :mod:`xiangxi_econ.data`
(every problem named by file, row and column) and computes the targets table exactly as
:func:`xiangxi_econ.assess` does, so a plan that validates is a plan the analysis runs on. It lives
with Rules because the targets table is where a plan's numbers get their meaning.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..data.plan import build_plan
from ..data.plan_io import PathLike
from ..data.validation import read_plan_files
from .targets import targets_table

__all__ = ["ValidationResult", "validate_plan"]


@dataclass
class ValidationResult:
    """What :func:`validate_plan` found: the plan (valid), its numeric targets and the warnings.

    Attributes
    ----------
    plan : Plan
    warnings : list of str
    paths : dict of str to str
        The files read, by role.
    targets : pandas.DataFrame or None
        The plan's :func:`~xiangxi_econ.targets_table`, computed as ``assess`` computes it (so a
        valid plan is one the analysis runs on).
    """

    plan: Any
    warnings: list[str]
    paths: dict[str, str]
    targets: Any = None

    def counts(self) -> dict[str, int]:
        """How the indicator rows divide, as ``assess`` and ``evaluate_progress`` count them.

        ``rows``: indicator rows of the file; ``numeric``: numeric targets of this plan counted once
        (``assess``'s "numeric targets"); ``stated_twice``: further rows stating one of them again
        (the plan prints some targets in its table and in a chapter); ``other``: the rest (targets
        without a number, the previous plan's review rows, baselines without a target). ``rows =
        numeric + stated_twice + other``.
        """
        rows = len(self.plan.indicators)
        if self.targets is None:
            return {"rows": rows}
        twice = int(self.targets["stated_twice"].astype(bool).sum())
        numeric = len(self.targets) - twice
        return {"rows": rows, "numeric": numeric, "stated_twice": twice, "other": rows - numeric - twice}

    def summary(self) -> str:
        """Plain-text lines: what was read, one ``warning:`` line per warning, then how the indicator
        rows divide (:meth:`counts`)."""
        c = self.counts()
        lines = [f"{self.paths.get('indicators', 'plan')}: valid plan file, {c['rows']} indicator rows"]
        lines += [f"warning: {w}" for w in self.warnings]
        if "numeric" in c:
            lines.append(f"{c['numeric']} numeric targets (as assess counts them), {c['stated_twice']} stated a second "
                         f"time (counted once), {c['other']} other rows (no number, previous plan, or baseline only)")
        return "\n".join(lines)


def validate_plan(path: PathLike, history: PathLike | None = None, units: PathLike | pd.DataFrame | None = None,
                  observations: PathLike | None = None) -> ValidationResult:
    """Check a plan the way the analysis reads it (``xiangxi-econ validate``).

    Parameters
    ----------
    path, history, units, observations
        As for :func:`xiangxi_econ.read_plan`.

    Returns
    -------
    ValidationResult
        The plan, its targets table (computed as ``assess`` computes it: what validates, the
        analysis runs on) and the warnings (unknown series ids with suggestions).

    Raises
    ------
    PlanFileError
        The first problem found; the same error :func:`xiangxi_econ.read_plan` (and so ``assess``,
        ``report``, ``evaluate``) raises.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = read_plan_files(path, history=history, units=units, observations=observations)
        plan = build_plan(files.indicators, files.history, files.meta, files.units, files.observations)
        table = targets_table(plan)
    return ValidationResult(plan, [str(w.message) for w in caught if issubclass(w.category, UserWarning)],
                            files.paths, table)
