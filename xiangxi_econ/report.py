"""The whole analysis in one folder: a self-contained HTML report, an Excel workbook, CSV tables and
chart images.

:func:`build_report` runs the assessment, the consistency report, the track record, the scenarios
and the simulation on a plan and writes:

* ``report.html`` — one page with every table and the charts embedded (base64 PNG), to open or send;
* ``assessment.xlsx`` — one formatted sheet per table;
* ``*.csv`` — the same tables, UTF-8;
* ``charts/*.png`` — the chart images.

It never overwrites a file it did not create: the files it writes are listed in a manifest
(``.xiangxi-econ-report.json``) in the folder; any other existing file of the same name stops the run
unless ``force=True``.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ._display import num
from .exceptions import ReportError
from .i18n import check_lang
from .plan import Plan

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
    """

    out_dir: Path
    files: list = field(default_factory=list)
    summary: str = ""


def _planned_files(chart_names) -> list[str]:
    tables = ["evaluation.csv", "plan_comparison.csv", "assessment.csv", "consistency.csv", "track_record.csv",
              "historical_pace.csv", "probabilities.csv",
              "scenarios.csv"]
    return ["report.html", "assessment.xlsx", *tables, *(f"charts/{c}.png" for c in chart_names)]


def _check_target(out_dir: Path, files: list[str], force: bool) -> dict:
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"--out {out_dir} is a file; expected a folder")
    manifest_path = out_dir / MANIFEST
    created: list[str] = []
    if manifest_path.exists():
        try:
            created = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", [])
        except (ValueError, OSError):
            created = []
    if not force:
        for name in files:
            if (out_dir / name).exists() and name not in created:
                raise ReportError(f"{out_dir / name} exists and was not written by xiangxi-econ; "
                                  "use --force to overwrite it or choose another --out folder")
    try:
        (out_dir / "charts").mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".xiangxi-econ-write-test"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise ReportError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    return {"files": sorted(created)}


def _charts(plan: Plan, assessment, scen, sim, lang: str, evaluation=None, comparison=None) -> dict[str, bytes]:
    from . import plotting

    frame = assessment.to_frame()
    out: dict[str, bytes] = {}

    def keep(name, ax):
        out[name] = plotting.png_bytes(ax)

    evaluated = set(evaluation.table["indicator_id"]) if evaluation is not None else set()
    for ident in KEY_OUTCOMES:
        if ident in evaluated:
            keep(f"outcome_{ident}", plotting.plot_outcome_path(plan, ident, lang=lang, targets=evaluation.targets))
    if comparison is not None and len(comparison.table):
        keep("plan_comparison", plotting.plot_plan_comparison(comparison.table, lang=lang))

    for measure in ("rate", "pp"):
        sub = frame[frame["kind"].isin(("share", "rate")) if measure == "pp" else
                    ~frame["kind"].isin(("share", "rate"))]
        col = ("required_pace_pp", "historical_pace_pp") if measure == "pp" else ("required_rate", "historical_rate")
        if sub[list(col)].notna().all(axis=1).any():
            keep(f"pace_{measure}", plotting.plot_pace_comparison(frame, measure=measure, lang=lang))
    ids = [i for i in KEY_PATHS if i in set(plan.indicators["indicator_id"])]
    if ids:
        keep("target_paths", plotting.plot_target_grid(plan, ids, scenarios=scen.to_frame(), ncols=3, lang=lang))
    simulated = set(sim.table["indicator_id"])
    for ident in KEY_FANS:
        if ident in simulated:
            keep(f"fan_{ident}", plotting.plot_fan(sim, ident, plan=plan, lang=lang))
    try:
        keep("tourism", plotting.plot_tourism_decomposition(plan, lang=lang))
    except (KeyError, ValueError):
        pass  # a plan without the tourism identity
    return out


def _table_html(frame: pd.DataFrame, percent: tuple[str, ...] = ()) -> str:
    fmt = {c: (lambda v: "" if pd.isna(v) else f"{v:.2%}") for c in percent if c in frame.columns}
    for c in frame.columns:
        if c not in fmt and pd.api.types.is_float_dtype(frame[c]):
            fmt[c] = num
    return frame.to_html(index=False, border=0, na_rep="", formatters=fmt, escape=True, classes="t")


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI','Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em auto;
max-width:1200px;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{margin-top:1.8em;border-bottom:1px solid #ccc}
table.t{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}
table.t th,table.t td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
table.t th{background:#f4f4f4}
.finding{margin:0.8em 0;padding:0.5em 0.8em;border-left:4px solid #c44}
.finding.medium{border-color:#e90}.finding.low{border-color:#999}
img{max-width:100%}.note{color:#555;font-size:0.9em}
"""


def _outcome_html(plan: Plan, evaluation, comparison, charts: dict[str, bytes], lang: str) -> list[str]:
    """The outcome section: evaluation summary, observed paths, the table, the two plans compared."""
    zh = lang == "zh"
    body: list[str] = []
    if evaluation is not None and len(evaluation.table):
        period = plan.periods.plan_label
        body.append(f"<h2>{f'规划实施结果（{period}）' if zh else f'Outcome of the plan ({period})'}</h2>")
        body.append(f"<pre>{html.escape(evaluation.summary(lang).split(chr(10) + chr(10))[0])}</pre>")
        for name in sorted(k for k in charts if k.startswith("outcome_")):
            body.append(_img(charts[name]))
        e = evaluation.to_frame(lang)
        body.append(_table_html(e[["indicator_id", "name", "unit", "base_value", "target_value", "latest_year",
                                   "latest_value", "completion", "achieved_rate", "required_rate", "status_label",
                                   "attribute", "reason", "baseline_note"]],
                                percent=("completion", "achieved_rate", "required_rate")))
    if comparison is not None and len(comparison.table):
        if "plan_comparison" in charts:
            body.append(_img(charts["plan_comparison"]))
        body.append(f"<pre>{html.escape(comparison.summary(lang))}</pre>")
    return body


def _html(plan: Plan, parts: dict, charts: dict[str, bytes], lang: str, draws: int, seed: int) -> str:
    zh = lang == "zh"
    def t(en: str, cn: str) -> str:
        return cn if zh else en
    title = plan.meta.get("title" if zh else "title_en") or plan.meta.get("title") or "Plan"
    assessment, consistency, record, sim = parts["assessment"], parts["consistency"], parts["record"], parts["sim"]
    a = assessment.to_frame(lang=lang)
    cols = ["indicator_id", "name", "unit", "price_basis", "base_value", "target_value", "target_year",
            "required_rate", "historical_rate", "required_pace_pp", "historical_pace_pp", "ratio", "verdict_label",
            "attribute", "source"]
    body = [f"<h1>{html.escape(str(title))}</h1>",
            f"<p class='note'>{html.escape(plan.meta.get('issuer', ''))} {html.escape(plan.meta.get('date', ''))}. "
            f"{t('Generated by xiangxi_econ', '由 xiangxi_econ 生成')}; "
            f"{t('verdict method', '评估方法')}: {html.escape(assessment.method)}; "
            f"{t('simulation', '模拟')}: {draws:,} {t('draws', '次')}, seed {seed}.</p>",
            f"<pre>{html.escape(assessment.summary(lang=lang).split(chr(10) + chr(10))[0])}</pre>"]
    body += _outcome_html(plan, parts.get("evaluation"), parts.get("comparison"), charts, lang)
    body.append(f"<h2>{t('Required versus historical pace', '所需增速与历史增速')}</h2>")
    for name in ("pace_rate", "pace_pp"):
        if name in charts:
            body.append(_img(charts[name]))
    body.append(_table_html(a[[c for c in cols if c in a.columns]], percent=("required_rate", "historical_rate")))
    body.append(f"<h2>{t('Contradictions between targets', '目标之间的矛盾')}</h2>")
    if "tourism" in charts:
        body.append(_img(charts["tourism"]))
    for i, f in enumerate(consistency.findings, 1):
        body.append(f"<div class='finding {f.severity}'><b>{i}. [{f.severity}] {html.escape(f.kind)}</b> — "
                    f"{html.escape(', '.join(f.indicators))}<br>{t('stated', '规划数')}: {html.escape(f.stated)}<br>"
                    f"{t('implied', '推算')}: {html.escape(f.implied)}<br>{html.escape(f.explanation)}</div>")
    if not consistency.findings:
        body.append(f"<p>{t('No contradictions found.', '未发现矛盾。')}</p>")
    body.append(f"<h2>{t('Scenarios and probability of meeting each target', '情景与目标实现概率')}</h2>")
    if "target_paths" in charts:
        body.append(_img(charts["target_paths"]))
    for name in sorted(k for k in charts if k.startswith("fan_")):
        body.append(_img(charts[name]))
    s = sim.to_frame(lang)
    body.append(_table_html(s[["indicator_id", "name", "unit", "target_value", "bound", "q05", "q50", "q95",
                               "probability", "mc_se", "volatility_source"]], percent=("probability", "mc_se")))
    body.append(f"<p class='note'>{html.escape(sim.settings.get('spreads', ''))}</p>")
    body.append(f"<h2>{t('Track record of the 13th plan', '“十三五”规划目标完成情况')}</h2>")
    r = record.to_frame(lang)
    body.append(_table_html(r[["indicator_id", "name", "unit", "base_value", "target_value", "outcome_value",
                               "required_rate", "achieved_rate", "required_pace_pp", "achieved_pace_pp", "ratio", "met",
                               "new_required_rate", "new_required_pace_pp"]],
                            percent=("required_rate", "achieved_rate", "new_required_rate")))
    return (f"<!DOCTYPE html><html lang='{'zh' if zh else 'en'}'><head><meta charset='utf-8'>"
            f"<title>{html.escape(str(title))}</title><style>{_CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>")


def _img(png: bytes) -> str:
    return f"<p><img alt='chart' src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}'></p>"


def build_report(out_dir: str | Path, plan: Plan | None = None, lang: str = "en", draws: int = 100_000,
                 seed: int = 0, force: bool = False,
                 progress: Callable[[int, int], None] | None = None, analysis: Any = None) -> ReportResult:
    """Run the whole analysis and write the report folder.

    Parameters
    ----------
    out_dir : str or path-like
        Folder to write (created if missing).
    plan : Plan, optional
        Default: the embedded Xiangxi plan.
    lang : {"en", "zh"}
        Language of names, verdicts and chart labels (charts fall back to English without a CJK font).
    draws : int
        Monte Carlo draws [draws].
    seed : int
    force : bool
        Overwrite files this tool did not create.
    progress : callable, optional
        ``progress(done, total)`` during the simulation.
    analysis : Analysis, optional
        An :func:`~xiangxi_econ.analyse` result to report (its plan, language, draws and seed are
        used; parts it has already computed are not computed again).

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        When a file in the way was not written by this tool (and ``force`` is false) or the folder
        cannot be written.
    """
    from .analysis import Analysis, analyse
    from .export import write_excel

    check_lang(lang)
    an = analysis if analysis is not None else analyse(plan, lang=lang, n_draws=draws, seed=seed, progress=progress)
    if not isinstance(an, Analysis):
        raise TypeError(f"analysis must be an Analysis from xiangxi_econ.analyse(); got {type(an).__name__}")
    plan, lang, draws, seed = an.plan, an.lang, an.n_draws, an.seed
    out_dir = Path(out_dir)
    chart_names = ["pace_rate", "pace_pp", "target_paths", "tourism", "plan_comparison",
                   *(f"fan_{i}" for i in KEY_FANS), *(f"outcome_{i}" for i in KEY_OUTCOMES)]
    manifest = _check_target(out_dir, _planned_files(chart_names), force)

    assessment, consistency, record = an.assessment, an.consistency, an.track_record
    pace, scen, sim = an.historical, an.scenarios, an.simulation
    evaluation, comparison = an.evaluation, an.comparison
    parts = {"assessment": assessment, "consistency": consistency, "record": record, "sim": sim,
             "evaluation": evaluation, "comparison": comparison}
    charts = _charts(plan, assessment, scen, sim, lang, evaluation, comparison)

    tables = {"evaluation": evaluation.to_frame(lang), "plan_comparison": comparison.to_frame(),
              "assessment": assessment.to_frame(lang=lang), "consistency": consistency.to_frame(),
              "track_record": record.to_frame(), "historical_pace": pace.to_frame(),
              "probabilities": sim.to_frame(), "scenarios": scen.to_frame()}
    page = _html(plan, parts, charts, lang, draws, seed)
    # everything is computed; claim the files in the manifest before writing any of them, so a run
    # interrupted half-way can be repeated without --force
    planned = [f"{n}.csv" for n in tables] + ["assessment.xlsx", "report.html"] + [f"charts/{n}.png" for n in charts]
    manifest["files"] = sorted(set(manifest["files"]) | set(planned))
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    written = []
    for name, frame in tables.items():
        frame.to_csv(out_dir / f"{name}.csv", index=False, encoding="utf-8")
        written.append(f"{name}.csv")
    write_excel(tables, out_dir / "assessment.xlsx")
    written.append("assessment.xlsx")
    for name, png in charts.items():
        (out_dir / "charts" / f"{name}.png").write_bytes(png)
        written.append(f"charts/{name}.png")
    (out_dir / "report.html").write_text(page, encoding="utf-8")
    written.append("report.html")

    counts = assessment.table["verdict"].value_counts()
    from .verdicts import label

    lines = [f"Plan: {plan.meta.get('title_en') or plan.meta.get('title', '')}",
             f"Targets assessed: {len(assessment.table)} numeric, {len(assessment.not_assessable)} without a number",
             "Verdicts: " + ", ".join(f"{label(k, lang)} {v}" for k, v in counts.items()),
             f"Contradictions: {len(consistency)} "
             f"({sum(f.severity == 'high' for f in consistency.findings)} high severity)",
             f"Simulated: {len(sim.table)} targets, {draws:,} draws (seed {seed})",
             f"Wrote {len(written)} files to {out_dir}/ (open {out_dir / 'report.html'})"]
    return ReportResult(out_dir, [Path(w) for w in written], "\n".join(lines))
