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

It never overwrites or removes a file it did not create: the files it writes are listed in a
manifest (``.xiangxi-econ-report.json``) in the folder with the SHA-256 of the content written, and
a file counts as its own only while it still holds that content, so a name in a forged or copied
manifest, a file edited since, or a name in the manifest of an older version (no digests) is the
user's. Any such file where the report writes stops the run unless ``force=True``; files a previous
run wrote and this run does not (the charts of another plan) are removed only while they hold the
content it wrote. A target that is a symbolic link (``charts/`` and the manifest included) stops the
run, even with ``force=True``.

A build's files are published together: every file is first written to a temporary file beside it
(``.report.html.<8 random>.tmp``), and only when all are complete are they renamed into place in one
pass and recorded in the manifest, so a run that fails or is killed before that pass leaves the
previous set whole and consistent (a run killed during the pass of renames leaves files of both runs,
all recorded as the tool's, and the next run replaces them without ``force``). Temporary files of a
killed run are removed by the next run into the folder, only those named after a file it writes. Two
runs into one folder at once are refused. Text cells of the CSV tables and the workbook never act as
spreadsheet formulas (see :mod:`xiangxi_econ._safe_io`).
"""

from __future__ import annotations

import os
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable

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


def _out_folder(out_dir: Any) -> Path:
    """``out_dir`` as a path, refusing an empty one (``Path("")`` would be the current folder)."""
    if isinstance(out_dir, (str, bytes)) and not out_dir.strip():
        raise ReportError(f"out_dir (--out) is {out_dir!r}, an empty path; expected the folder to write the report "
                          "into, such as --out report (--out . for the current folder)")
    return Path(os.fsdecode(out_dir)) if isinstance(out_dir, bytes) else Path(out_dir)


def _make_folder(out_dir: Path) -> None:
    """Create the output folder (not ``charts/``: nothing is written before the checks)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"--out {out_dir} is a file; expected a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None


def _check_target(out_dir: Path, files: list[str], force: bool) -> dict[str, str]:
    """Check the output folder before anything is computed; returns the files that are the tool's
    own (listed in the manifest and still holding the content recorded there) with their digests.

    Refuses (``ReportError`` naming the path) a file in place of the folder, a link in place of
    ``charts/``, of the manifest or of any file to write, a folder in place of a file, and, unless
    ``force``, an existing file that is not the tool's own.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"--out {out_dir} is a file; expected a folder")
    charts = out_dir / _safe_io.CHARTS
    _safe_io.refuse_link(charts, "folder for the chart images")
    if charts.exists() and not charts.is_dir():
        raise ReportError(f"{charts} is a file; expected a folder for the chart images")
    created = _safe_io.owned(out_dir, _safe_io.read_manifest(out_dir / MANIFEST))
    for name in files:
        target = out_dir / name
        _safe_io.refuse_link(target)
        if target.exists() and not target.is_file():
            raise ReportError(f"{target} is not a regular file; expected a file xiangxi-econ can replace")
        if not force and target.exists() and name not in created:
            raise ReportError(f"{target} exists and was not written by xiangxi-econ (or was changed since); "
                              "use --force to overwrite it or choose another --out folder")
    try:
        charts.mkdir(parents=True, exist_ok=True)
        # named as a temporary file of the manifest, so one left by a kill is removed like the others
        fd, probe = tempfile.mkstemp(dir=out_dir, prefix=f".{MANIFEST}.", suffix=".tmp")  # O_EXCL: never a link
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ReportError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    return created


def _publish(out_dir: Path, contents: dict[str, Callable[[IO[bytes]], object]],
             previous: dict[str, str]) -> tuple[list[str], list[str]]:
    """Write a build's files together; returns the names written and the stale names removed.

    Every file goes to a temporary file first; when all are complete the manifest claims both the
    previous and the new content of each name, the temporary files are renamed into place in one
    pass, the previous run's files this run does not write are removed (only those still holding
    the content it wrote), and the manifest then records exactly the new files and digests. A
    failure before the pass leaves the previous files as they were and no temporary file.
    """
    staged: dict[str, _safe_io.Staged] = {}
    try:
        for name, write in contents.items():
            staged[name] = _safe_io.stage(out_dir / name, write)
        claim: dict[str, set[str]] = {name: {digest} for name, digest in previous.items()}
        for name, new in staged.items():
            claim.setdefault(name, set()).add(new.sha256)
        # a run killed in the renames below can then be repeated without --force
        _safe_io.write_manifest(out_dir / MANIFEST, claim)
        _safe_io.refuse_link(out_dir / _safe_io.CHARTS, "folder for the chart images")
        for new in staged.values():
            new.publish()
    except BaseException:
        for new in staged.values():
            new.discard()  # nothing for a file already renamed into place
        raise
    removed = _safe_io.remove_stale(out_dir, previous, keep=lambda n: n in staged or not _own_kind(n))
    _safe_io.write_manifest(out_dir / MANIFEST, {name: new.sha256 for name, new in staged.items()})
    return list(staged), removed


def _charts(an: Any) -> dict[str, Any]:
    """Every chart of the report as PNG (:class:`~xiangxi_econ.face._report_html.ChartPng`), each drawn
    at the width the page shows it, in the analysis's language."""
    from . import plotting
    from ._report_html import HALF_PX, WIDE_PX, ChartPng

    out: dict[str, Any] = {}

    def keep(name: str, ax: Any) -> None:
        png, smallest = plotting.report_png(ax, WIDE_PX if name in WIDE_CHARTS else HALF_PX)
        out[name] = ChartPng(png, smallest_pt=smallest, dpi=plotting.REPORT_DPI)

    with plotting.report_style():
        _draw_charts(plotting, keep, an)
        outlook = an.outlook
        if outlook is not None:
            shown = set(outlook.fan["indicator_id"])
            for ident in KEY_FANS:
                if ident in shown:
                    keep(f"outlook_{ident}", plotting.plot_fan(outlook, ident, plan=an.plan, lang=an.lang))
    return out


#: Charts shown across the page (the others are shown two to a row).
WIDE_CHARTS = frozenset({"target_paths"})


def _draw_charts(plotting: Any, keep: Callable[[str, Any], None], an: Any) -> None:
    plan, lang, evaluation, comparison = an.plan, an.lang, an.evaluation, an.comparison
    frame = an.assessment.to_frame()
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
        keep("target_paths", plotting.plot_target_grid(plan, ids, scenarios=an.scenarios.to_frame(), ncols=2,
                                                       lang=lang, published=True))
    sim = an.simulation
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


def build_report(out_dir: str | Path, plan: Plan | None = None, lang: str | None = None, n_draws: int = 100_000,
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
    lang : {"en", "zh"}, optional
        Language of names, verdicts and chart labels (charts fall back to English without a CJK font);
        default English. It is the analysis's language (``Analysis.lang``, its one home): with
        ``analysis=`` leave it out, or give the same.
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
        When ``out_dir`` is empty (``""`` would be the current folder), a file in the way was not
        written by this tool or was changed since (and ``force`` is false), a file to write,
        ``charts/`` or the manifest is a symbolic link (even with ``force``), the folder cannot be
        written, or another run is writing it; the message names the path or the argument and what
        was expected.
    """
    from ._workbook import workbook

    out_dir = _out_folder(out_dir)
    if draws is not None:
        warnings.warn("build_report(draws=) is now n_draws= like every other function; draws= will be removed in "
                      "the next release", DeprecationWarning, stacklevel=2)
        n_draws = draws
    an = _the_analysis(analysis, plan, lang, n_draws, seed, progress)
    chart_names = ["pace_rate", "pace_pp", "target_paths", "tourism", "plan_comparison",
                   *(f"fan_{i}" for i in KEY_FANS), *(f"outcome_{i}" for i in KEY_OUTCOMES),
                   *(f"outlook_{i}" for i in KEY_FANS)]
    _make_folder(out_dir)
    with _safe_io.folder_lock(out_dir):
        previous = _check_target(out_dir, _planned_files(chart_names), force)
        # temporary files a killed run left, of the names this tool writes there and no others
        _safe_io.remove_temporaries(out_dir, [*_planned_files(chart_names), *previous, MANIFEST])
        written, removed = _publish(out_dir, _contents(an, title, region, workbook), previous)
    return ReportResult(out_dir, [Path(w) for w in written], _summary(an, written, removed, out_dir),
                        [Path(r) for r in removed])


def _the_analysis(analysis: Any, plan: Plan | None, lang: str | None, n_draws: int, seed: int,
                  progress: Callable[[int, int], None] | None) -> Any:
    """The analysis to report: ``analysis`` as given (``lang``, when given, must be its language), or a
    new one of ``plan`` in ``lang`` (default English)."""
    from ..analysis import Analysis, analyse

    if lang is not None:
        check_lang(lang)
    if analysis is None:
        return analyse(plan, lang=lang or "en", n_draws=n_draws, seed=seed, progress=progress)
    if not isinstance(analysis, Analysis):
        raise TypeError(f"analysis must be an Analysis from xiangxi_econ.analyse(); got {type(analysis).__name__}")
    if lang is not None and lang != analysis.lang:
        raise ValueError(f"lang={lang!r} but the analysis was made in {analysis.lang!r}; the report is written in "
                         "the analysis's language: leave lang out, or make the analysis with "
                         f"xiangxi_econ.analyse(plan, lang={lang!r})")
    return analysis


def _contents(an: Any, title: str | None, region: str | None,
              workbook: Callable[..., Any]) -> dict[str, Callable[[IO[bytes]], object]]:
    """Every file of the report: name in the folder -> ``write(fh)`` writing its bytes."""
    plan, lang = an.plan, an.lang
    assessment, consistency, record = an.assessment, an.consistency, an.track_record
    pace, scen, sim = an.historical, an.scenarios, an.simulation
    evaluation, comparison = an.evaluation, an.comparison
    charts = _charts(an)

    tables = {"evaluation": evaluation.to_frame(lang), "plan_comparison": comparison.to_frame(),
              "assessment": assessment.to_frame(lang=lang), "consistency": consistency.to_frame(),
              "track_record": record.to_frame(), "historical_pace": pace.to_frame(),
              "probabilities": sim.to_frame(), "scenarios": scen.to_frame()}
    from ._report_html import notes_sheet, summary_sheet
    from ._report_html import page as _page

    meta = report_meta(plan, lang, title, region)
    page = _page(an, charts, meta, lang)
    summary, summary_headers = summary_sheet(an, lang)
    sheets = {"summary": summary, **tables, "notes": notes_sheet(an, meta, lang)}
    headers = {"summary": summary_headers}
    if lang == "zh":  # every sheet's headers and name in Chinese; the CSV files keep the column keys
        headers.update({n: {str(c): header(str(c), lang) for c in f.columns} for n, f in sheets.items()
                        if n != "summary"})
        headers = {sheet_name(n, lang): h for n, h in headers.items()}
        sheets = {sheet_name(n, lang): f for n, f in sheets.items()}
    out: dict[str, Callable[[IO[bytes]], object]] = {}
    for name, frame in tables.items():
        # with a byte-order mark: Excel on Chinese Windows then reads the file as UTF-8
        out[f"{name}.csv"] = _bytes_writer(_safe_io.csv_safe(frame).to_csv(index=False).encode("utf-8-sig"))
    out["assessment.xlsx"] = workbook(sheets, headers).save
    for name, png in charts.items():
        out[f"{_safe_io.CHARTS}/{name}.png"] = _bytes_writer(png)
    out["report.html"] = _bytes_writer(page.encode("utf-8"))
    return out


def _bytes_writer(data: bytes) -> Callable[[IO[bytes]], object]:
    return lambda fh: fh.write(data)


def _summary(an: Any, written: list[str], removed: list[str], out_dir: Path) -> str:
    """The short plain-text summary of a build for a terminal."""
    from ..rules.targets import target_counts
    from ..rules.verdicts import label

    plan, lang, assessment, consistency, sim = an.plan, an.lang, an.assessment, an.consistency, an.simulation
    once = assessment.table[~assessment.table["stated_twice"].astype(bool)]  # a target printed twice counts once
    counts = once["verdict"].value_counts()
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
                  draws=f"{an.n_draws:,}", seed=an.seed),
             text("cli_wrote", lang, n=len(written), out=f"{out_dir}/", page=out_dir / "report.html")]
    if removed:
        lines.append(text("cli_removed", lang, n=len(removed)))
    return "\n".join(lines)
