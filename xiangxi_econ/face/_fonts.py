"""Chinese labels on charts: find a CJK-capable font, or fall back to English cleanly.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: a Chinese label drawn with it
shows empty boxes and raises ``UserWarning: Glyph ... missing from font(s)``. The charts in
:mod:`xiangxi_econ.face.plotting` therefore ask :func:`cjk_font` for an installed font family that has
the glyphs, and set it on each Chinese text they draw (``fontfamily=``), never in the global
``rcParams``. Where no such font is installed, :func:`label_text` gives the English label, so a
chart asked for in Chinese still draws, in English, with no boxes, and one
:class:`~xiangxi_econ.exceptions.CJKFontMissingWarning` says how to install a font.

Where the font is looked for, at the first Chinese chart: the fonts matplotlib already knows; then
a font file brought by a Python package (the ``zh`` extra: ``pip install "xiangxi_econ[zh]"``
installs ``mplfonts``, which ships Noto Sans CJK SC), registered with
``font_manager.fontManager.addfont``; then the system font folders again, so a CJK font installed
after matplotlib built its font cache (``apt-get install fonts-noto-cjk``) is still found.

Like :mod:`xiangxi_econ.face.plotting`, this module imports matplotlib only inside its functions.

>>> label_text("year", "年份", "en")
'year'
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import warnings
from pathlib import Path
from typing import Any

from ..exceptions import CJKFontMissingWarning
from ..i18n import check_lang

_log = logging.getLogger(__name__)

#: Font families known to carry simplified Chinese, best first. ``.ttc`` collections such as
#: Debian's ``fonts-noto-cjk`` are listed by matplotlib under their first face (``... CJK JP``),
#: which holds the same Han glyphs.
PREFERRED_CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "STHeiti",
    "Noto Sans CJK JP",
    "Noto Sans CJK TC",
    "Noto Sans CJK KR",
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "AR PL UKai CN",
    "SimSun",
    "Droid Sans Fallback",
)

#: Name fragments of other families worth checking for Chinese glyphs (case-insensitive).
_NAME_HINTS: tuple[str, ...] = ("cjk", "han sans", "han serif", "wenquanyi", "hei", "song", "ming",
                                "kai", "yahei", "fangsong", "droid sans fallback")

#: Characters a font must have to count as CJK-capable: a few of those the charts print.
_PROBE = "湘西经济目标年份亿元"



def _has_glyphs(path: str, chars: str = _PROBE) -> bool:
    """True if the font file at ``path`` maps every character of ``chars`` to a glyph."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):  # unreadable or unsupported file
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in chars)


#: Font files Python packages bring: (package, path inside it). ``mplfonts`` is what the ``zh``
#: extra installs; its Noto Sans CJK SC is the simplified-Chinese (mainland) cut, OFL-licensed.
PACKAGED_CJK_FONTS: tuple[tuple[str, str], ...] = (("mplfonts", "fonts/NotoSansCJKsc-Regular.otf"),)

#: Fragments of font file names worth registering from the system folders when no CJK font is cached.
_FILE_HINTS: tuple[str, ...] = ("cjk", "sourcehan", "source-han", "wqy", "wenquanyi", "simhei", "simsun", "msyh",
                                "yahei", "pingfang", "hiragino", "heiti", "droidsansfallback", "uming", "ukai")

MISSING_FONT_MESSAGE = ("no font that can draw Chinese is installed, so charts asked for in Chinese use English "
                        "labels; install one with: pip install \"xiangxi_econ[zh]\"  (or: apt-get install "
                        "fonts-noto-cjk), then restart Python")


def _packaged_font_files() -> list[str]:
    """Font files of :data:`PACKAGED_CJK_FONTS` that are installed (the packages are not imported)."""
    out = []
    for package, relative in PACKAGED_CJK_FONTS:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        for folder in (spec.submodule_search_locations or []) if spec else []:
            path = Path(folder) / relative
            if path.is_file():
                out.append(str(path))
    return out


def _cache_written() -> float:
    """When matplotlib wrote its font cache (POSIX time; 0 when it has none on disk)."""
    from matplotlib import font_manager, get_cachedir

    path = Path(get_cachedir()) / f"fontlist-v{font_manager.FontManager.__version__}.json"
    return path.stat().st_mtime if path.is_file() else 0.0


def _system_font_files() -> list[str]:
    """Font files in the system font folders, named like CJK fonts, that matplotlib has not listed
    and that were installed after it wrote its font cache (file status changed since: package
    managers keep a font's own modification time, not its installation time)."""
    from matplotlib import font_manager

    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    since = _cache_written()
    out = []
    for path in font_manager.findSystemFonts():
        if path in known or not any(hint in Path(path).name.lower().replace(" ", "") for hint in _FILE_HINTS):
            continue
        try:
            if Path(path).stat().st_ctime >= since:
                out.append(path)
        except OSError:
            continue
    return sorted(out)


def _register(paths: list[str]) -> None:
    from matplotlib import font_manager

    for path in paths:
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError) as exc:  # unreadable file: skip it
            _log.debug("cannot register font %s: %s", path, exc)


@functools.lru_cache(maxsize=1)
def _find_cjk_font() -> str | None:
    name = _cached_cjk_font()
    for more in (_packaged_font_files, _system_font_files):
        if name is not None:
            return name
        _register(more())
        name = _cached_cjk_font()
    if name is None:
        warnings.warn(MISSING_FONT_MESSAGE, CJKFontMissingWarning, stacklevel=4)
    return name


def _cached_cjk_font() -> str | None:
    """The best CJK-capable family among the fonts matplotlib lists now, or ``None``."""
    from matplotlib import font_manager

    by_name: dict[str, list[str]] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, []).append(entry.fname)
    candidates = [name for name in PREFERRED_CJK_FONTS if name in by_name]
    candidates += sorted(name for name in by_name
                         if name not in PREFERRED_CJK_FONTS
                         and any(hint in name.lower() for hint in _NAME_HINTS))
    for name in candidates:
        if any(_has_glyphs(path) for path in by_name[name]):
            _log.debug("CJK font for chart labels: %s", name)
            return name
    return None


def cjk_font() -> str | None:
    """Name of an installed font family that can draw Chinese, or ``None``.

    Families in :data:`PREFERRED_CJK_FONTS` are tried first, then any installed family whose name
    suggests CJK coverage; a family counts only if its file has glyphs for a sample of Chinese
    characters. When matplotlib lists none, a packaged font (:data:`PACKAGED_CJK_FONTS`) and then
    the system font folders are registered and searched. When there is still none, one
    :class:`~xiangxi_econ.exceptions.CJKFontMissingWarning` says how to install one. The answer is
    cached for the session: after installing a font, call ``cjk_font.cache_clear()``.

    Returns
    -------
    str or None
        A family name for ``fontfamily=`` / ``FontProperties(family=...)``, or ``None`` when no
        CJK-capable font is installed.

    Examples
    --------
    >>> name = cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    return _find_cjk_font()


cjk_font.cache_clear = _find_cjk_font.cache_clear  # type: ignore[attr-defined]


def effective_lang(lang: str) -> str:
    """The language a chart can actually be drawn in.

    Parameters
    ----------
    lang : {'en', 'zh'}
        The language asked for.

    Returns
    -------
    str
        ``'zh'`` when ``lang='zh'`` and :func:`cjk_font` finds a font; ``'en'`` otherwise.
    """
    check_lang(lang)
    if lang == "zh" and cjk_font() is not None:
        return "zh"
    return "en"


def label_text(en: str, zh: str, lang: str) -> str:
    """The label to draw: Chinese where asked for and drawable, English otherwise.

    Parameters
    ----------
    en : str
        English text.
    zh : str
        Chinese text.
    lang : {'en', 'zh'}
        Language asked for. ``'zh'`` gives ``zh`` only when a CJK font is installed
        (:func:`cjk_font`); without one it gives ``en``, so no glyph is missing.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``lang`` is neither ``'en'`` nor ``'zh'``.

    Examples
    --------
    >>> label_text("year", "年份", "en")
    'year'
    """
    return zh if effective_lang(lang) == "zh" else en


def font_family(lang: str) -> list[str] | None:
    """``fontfamily`` value for Chinese text: the CJK font, then matplotlib's sans-serif fallback.

    ``None`` when the chart is drawn in English (``lang='en'``, or no CJK font installed).
    """
    if effective_lang(lang) != "zh":
        return None
    return [cjk_font(), "sans-serif"]  # type: ignore[list-item]


def text_kw(lang: str) -> dict[str, Any]:
    """Keyword arguments for ``set_title``, ``set_xlabel``, ``text``, ``annotate`` ... in ``lang``."""
    family = font_family(lang)
    return {} if family is None else {"fontfamily": family}


def font_properties(lang: str, size: float | str | None = None) -> Any:
    """A ``FontProperties`` for legends in ``lang``, or ``None`` (matplotlib's default) in English."""
    family = font_family(lang)
    if family is None and size is None:
        return None
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=family, size=size)
