"""The whole analysis in one folder: a self-contained HTML report, an Excel workbook, CSV tables and
chart images.

:func:`build_report` runs the assessment, the consistency report, the track record, the scenarios
and the simulation on a plan and writes:

* ``report.html`` — one page to open or send (charts embedded as base64 PNG): the first screen is
  an executive summary (headline targets with their outcome, ex-ante verdict and probability, and
  three to five findings), then one section per question, long tables collapsed, a methods
  section last; in Chinese with ``lang="zh"`` (built by :mod:`xiangxi_econ.face._report_html`);
* ``assessment.xlsx`` — a summary sheet, one formatted sheet per table, a notes sheet;
* ``*.csv`` — the same tables, UTF-8 with a byte-order mark (Excel opens them as UTF-8);
* ``charts/*.png`` — the chart images.

It never overwrites a file it did not create: the files it writes are listed in a manifest
(``.xiangxi-econ-report.json``) in the folder; any other existing file of the same name stops the run
unless ``force=True``. Every file is written to a temporary file in the folder and renamed into place,
so an interrupted run leaves the previous files whole; a target that is a symbolic link (``charts/``
and the manifest included) stops the run, even with ``force=True``; files a previous run listed in
the manifest and this run does not write (the charts of another plan) are removed. Text cells of the
CSV tables and the workbook never act as spreadsheet formulas (see :mod:`xiangxi_econ._safe_io`).
"""

from __future__ import annotations

import os
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .. import _safe_io
from ..data.plan import Plan
from ..exceptions import ReportError
from ..i18n import check_lang, header, plural, sheet_name, text

MANIFEST = ".xiangxi-econ-report.json"
#: Headline indicators whose observed path is drawn against the plan path in the outcome section.
KEY_OUTCOMES = ("gdp", "disposable_income_per_capita", "tourism_arrivals_ch2", "tourism_revenue_ch2",
                "urbanisation_rate")
KEY_FANS = ("gdp", "urbanisation_rate", "tourism_revenue_ch2", "disposable_income_per_capita")
KEY_PATHS = ("gdp", "urbanisation_rate", "tourism_arrivals_ch2", "tourism_revenue_ch2", "disposable_income_per_capita",
             "rd_intensity")


@dataclass(frozen=True)
class ReportResult:
    """What :func:`build_report` wrote and the headline numbers.

    Attributes
    ----------
    out_dir : pathlib.Path
    files : list of pathlib.Path
        Every file written, relative to ``out_dir``.
    summary : str
        Short plain-text summary for a terminal.
    removed : list of pathlib.Path
        Files of a previous run that this run did not write, removed, relative to ``out_dir``.
    """

    out_dir: Path
    files: list = field(default_factory=list)
    summary: str = ""
    removed: list = field(default_factory=list)


def _planned_files(chart_names) -> list[str]:
    tables = ["evaluation.csv", "plan_comparison.csv", "assessment.csv", "consistency.csv", "track_record.csv",
              "historical_pace.csv", "probabilities.csv",
              "scenarios.csv"]
    return ["report.html", "assessment.xlsx", *tables, *(f"charts/{c}.png" for c in chart_names)]


def _own_kind(name: str) -> bool:
    """Whether ``name`` is of a kind this tool writes (only such files are ever removed as stale)."""
    if name.startswith(f"{_safe_io.CHARTS}/"):
        return name.endswith(".png")
    return name in ("report.html", "assessment.xlsx") or name.endswith(".csv")


def _check_target(out_dir: Path, files: list[str], force: bool) -> list[str]:
    """Check the output folder before anything is computed; returns the names its manifest lists.

    Refuses (``ReportError`` naming the path) a file in place of the folder, a link in place of
    ``charts/``, of the manifest or of any file to write, a folder in place of a file, and, unless
    ``force``, an existing file the manifest does not list.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"--out {out_dir} is a file; expected a folder")
    charts = out_dir / _safe_io.CHARTS
    _safe_io.refuse_link(charts, "folder for the chart images")
    if charts.exists() and not charts.is_dir():
        raise ReportError(f"{charts} is a file; expected a folder for the chart images")
    created = _safe_io.read_manifest(out_dir / MANIFEST)
    for name in files:
        target = out_dir / name
        _safe_io.refuse_link(target)
        if target.exists() and not target.is_file():
            raise ReportError(f"{target} is not a regular file; expected a file xiangxi-econ can replace")
        if not force and target.exists() and name not in created:
            raise ReportError(f"{target} exists and was not written by xiangxi-econ; "
                              "use --force to overwrite it or choose another --out folder")
    try:
        charts.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out_dir, prefix=".xiangxi-econ-write-test.")  # O_EXCL: never a link
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ReportError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    return created


def _charts(plan: Plan, assessment, scen, sim, lang: str, evaluation=None, comparison=None,
            outlook=None) -> dict[str, bytes]:
    from . import plotting

    frame = assessment.to_frame()
    out: dict[str, bytes] = {}

    def keep(name, ax):
        out[name] = plotting.png_bytes(ax)

    with plotting.report_style():
        _draw_charts(plotting, keep, plan, frame, scen, sim, lang, evaluation, comparison)
        if outlook is not None:
            shown = set(outlook.fan["indicator_id"])
            for ident in KEY_FANS:
                if ident in shown:
                    keep(f"outlook_{ident}", plotting.plot_fan(outlook, ident, plan=plan, lang=lang))
    return out


def _draw_charts(plotting: Any, keep: Callable[[str, Any], None], plan: Plan, frame: Any, scen: Any, sim: Any,
                 lang: str, evaluation: Any, comparison: Any) -> None:
    evaluated = set(evaluation.table["indicator_id"]) if evaluation is not None else set()
    for ident in KEY_OUTCOMES:
        if ident in evaluated:
            keep(f"outcome_{ident}", evaluation.plot(indicator_id=ident, lang=lang))
    if comparison is not None and len(comparison.table) and comparison.table["judged"].sum() > 0:
        keep("plan_comparison", plotting.plot_plan_comparison(comparison.table, lang=lang))

    for measure in ("rate", "pp"):
        sub = frame[frame["kind"].isin(("share", "rate")) if measure == "pp" else
                    ~frame["kind"].isin(("share", "rate"))]
        col = ("required_pace_pp", "historical_pace_pp") if measure == "pp" else ("required_rate", "historical_rate")
        if sub[list(col)].notna().all(axis=1).any():
            keep(f"pace_{measure}", plotting.plot_pace_comparison(frame, measure=measure, lang=lang))
    ids = [i for i in KEY_PATHS if i in set(plan.indicators["indicator_id"])]
    if ids:
        keep("target_paths", plotting.plot_target_grid(plan, ids, scenarios=scen.to_frame(), ncols=2, lang=lang))
    simulated = set(sim.table["indicator_id"])
    for ident in KEY_FANS:
        if ident in simulated:
            keep(f"fan_{ident}", plotting.plot_fan(sim, ident, plan=plan, lang=lang))
    try:
        keep("tourism", plotting.plot_tourism_decomposition(plan, lang=lang, targets=frame))
    except (KeyError, ValueError):
        pass  # a plan without the tourism identity


def report_meta(plan: Plan, lang: str, title: str | None = None, region: str | None = None) -> dict[str, str]:
    """The plan's metadata for the report page, with ``title``/``region`` overrides, and the
    ``shown_title``: the title in ``lang`` (Chinese title, else the English one)."""
    meta = {k: str(v) for k, v in plan.meta.items() if v is not None}
    if title:
        meta["title"] = meta["title_en"] = title
    if region:
        meta["region"] = region
    first = "title" if lang == "zh" else "title_en"
    meta["shown_title"] = meta.get(first) or meta.get("title") or meta.get("title_en") or "Plan"
    return meta


def build_report(out_dir: str | Path, plan: Plan | None = None, lang: str = "en", n_draws: int = 100_000,
                 seed: int = 0, force: bool = False,
                 progress: Callable[[int, int], None] | None = None, analysis: Any = None,
                 title: str | None = None, region: str | None = None, draws: int | None = None) -> ReportResult:
    """Run the whole analysis and write the report folder.

    Parameters
    ----------
    out_dir : str or path-like
        Folder to write (created if missing).
    plan : Plan, optional
        Default: the embedded Xiangxi plan.
    lang : {"en", "zh"}
        Language of names, verdicts and chart labels (charts fall back to English without a CJK font).
    n_draws : int
        Monte Carlo draws [draws] (the Monte Carlo check of the exact probabilities).
    seed : int
    force : bool
        Overwrite files this tool did not create.
    progress : callable, optional
        ``progress(done, total)`` during the simulation.
    analysis : Analysis, optional
        An :func:`~xiangxi_econ.analyse` result to report (its plan, language, draws and seed are
        used; parts it has already computed are not computed again).
    title : str, optional
        Page title, overriding the plan's ``meta["title"]`` (``meta.json`` in a plan folder).
    region : str, optional
        Region name shown under the title, overriding ``meta["region"]``.
    draws : int, optional
        Deprecated spelling of ``n_draws`` (one release; a DeprecationWarning says so).

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        When a file in the way was not written by this tool (and ``force`` is false), a file to
        write, ``charts/`` or the manifest is a symbolic link (even with ``force``), or the folder
        cannot be written; the message names the path and what was expected there.
    """
    from ..analysis import Analysis, analyse
    from .export import write_excel

    check_lang(lang)
    if draws is not None:
        warnings.warn("build_report(draws=) is now n_draws= like every other function; draws= will be removed in "
                      "the next release", DeprecationWarning, stacklevel=2)
        n_draws = draws
    an = analysis if analysis is not None else analyse(plan, lang=lang, n_draws=n_draws, seed=seed, progress=progress)
    if not isinstance(an, Analysis):
        raise TypeError(f"analysis must be an Analysis from xiangxi_econ.analyse(); got {type(an).__name__}")
    plan, lang, draws, seed = an.plan, an.lang, an.n_draws, an.seed
    out_dir = Path(out_dir)
    chart_names = ["pace_rate", "pace_pp", "target_paths", "tourism", "plan_comparison",
                   *(f"fan_{i}" for i in KEY_FANS), *(f"outcome_{i}" for i in KEY_OUTCOMES),
                   *(f"outlook_{i}" for i in KEY_FANS)]
    previous = _check_target(out_dir, _planned_files(chart_names), force)

    assessment, consistency, record = an.assessment, an.consistency, an.track_record
    pace, scen, sim = an.historical, an.scenarios, an.simulation
    evaluation, comparison = an.evaluation, an.comparison
    charts = _charts(plan, assessment, scen, sim, lang, evaluation, comparison, an.outlook)

    tables = {"evaluation": evaluation.to_frame(lang), "plan_comparison": comparison.to_frame(),
              "assessment": assessment.to_frame(lang=lang), "consistency": consistency.to_frame(),
              "track_record": record.to_frame(), "historical_pace": pace.to_frame(),
              "probabilities": sim.to_frame(), "scenarios": scen.to_frame()}
    from ._report_html import notes_sheet, summary_sheet
    from ._report_html import page as _page

    meta = report_meta(plan, lang, title, region)
    page = _page(an, charts, meta, lang)
    summary, summary_headers = summary_sheet(an, lang)
    # everything is computed; claim the files in the manifest before writing any of them, so a run
    # interrupted half-way can be repeated without --force
    planned = [f"{n}.csv" for n in tables] + ["assessment.xlsx", "report.html"] + [f"charts/{n}.png" for n in charts]
    _safe_io.write_manifest(out_dir / MANIFEST, [*previous, *planned])
    written = []
    for name, frame in tables.items():
        # with a byte-order mark: Excel on Chinese Windows then reads the file as UTF-8
        _safe_io.write_csv(frame, out_dir / f"{name}.csv", bom=True)
        written.append(f"{name}.csv")
    sheets = {"summary": summary, **tables, "notes": notes_sheet(an, meta, lang)}
    headers = {"summary": summary_headers}
    if lang == "zh":  # every sheet's headers and name in Chinese; the CSV files keep the column keys
        headers.update({n: {str(c): header(str(c), lang) for c in f.columns} for n, f in sheets.items()
                        if n != "summary"})
        headers = {sheet_name(n, lang): h for n, h in headers.items()}
        sheets = {sheet_name(n, lang): f for n, f in sheets.items()}
    write_excel(sheets, out_dir / "assessment.xlsx", headers=headers)
    written.append("assessment.xlsx")
    _safe_io.refuse_link(out_dir / _safe_io.CHARTS, "folder for the chart images")
    for name, png in charts.items():
        _safe_io.write_bytes(out_dir / "charts" / f"{name}.png", png)
        written.append(f"charts/{name}.png")
    _safe_io.write_text(out_dir / "report.html", page)
    written.append("report.html")
    # the previous run's files this run did not write (another plan's charts) go; then the manifest
    # lists exactly what is in the folder
    removed = _safe_io.remove_stale(out_dir, previous, keep=lambda n: n in written or not _own_kind(n))
    _safe_io.write_manifest(out_dir / MANIFEST, written)

    once = assessment.table[~assessment.table["stated_twice"].astype(bool)]  # a target printed twice counts once
    counts = once["verdict"].value_counts()
    from ..rules.targets import target_counts
    from ..rules.verdicts import label

    c = target_counts(plan)
    title = (plan.meta.get("title") or plan.meta.get("title_en", "")) if lang == "zh" else \
        (plan.meta.get("title_en") or plan.meta.get("title", ""))
    sep = "，" if lang == "zh" else ", "
    lines = [text("cli_plan", lang, title=title),
             text("cli_targets", lang, numeric=c["numeric"], twice=c["stated_twice"], without=c["without_number"],
                  previous=c["previous_plan"]),
             text("cli_verdicts", lang, counts=sep.join(f"{label(k, lang)} {v}" for k, v in counts.items())),
             text("cli_contradictions", lang, n=len(consistency),
                  high=sum(f.severity == "high" for f in consistency.findings)),
             text("cli_simulated", lang, n=len(sim.table), targets=plural(len(sim.table), "target", lang),
                  draws=f"{draws:,}", seed=seed),
             text("cli_wrote", lang, n=len(written), out=f"{out_dir}/", page=out_dir / "report.html")]
    if removed:
        lines.append(text("cli_removed", lang, n=len(removed)))
    return ReportResult(out_dir, [Path(w) for w in written], "\n".join(lines), [Path(r) for r in removed])
