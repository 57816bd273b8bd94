"""Safe output files: no formulas from user text, atomic writes, no writes through links, a checked manifest.

Every file the library writes (the report folder and ``--csv`` tables) goes through this module:

* :func:`csv_safe` neutralises text cells that a spreadsheet would run as a formula (OWASP's
  CSV-injection rule: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  gets a leading single quote); numbers, negative ones included, stay numbers;
* :func:`atomic_write` writes to a temporary file in the target's folder and renames it into place
  (:func:`os.replace`), so a run that fails or is killed half-way leaves the previous file whole
  and no temporary file behind;
* :func:`refuse_link` stops before any target that is a symbolic link, dangling or not: the
  library never writes through a link;
* :func:`read_manifest` reads the list of files a previous run wrote, accepting only a JSON object
  whose ``files`` is a list of plain relative names; anything else is treated as an empty list,
  with a :class:`ManifestWarning`.

A leaf module: it imports nothing else from the package but :mod:`xiangxi_econ.exceptions`.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
import warnings
from pathlib import Path
from typing import IO, Any, Callable, Iterable

import pandas as pd

from .exceptions import PathLike, ReportError

#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP, CSV injection).
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: A manifest larger than this is not read [bytes].
MANIFEST_MAX_BYTES = 1 << 20
#: The only sub-folder a manifest name may have.
CHARTS = "charts"


class ManifestWarning(UserWarning):
    """The manifest of a report folder is damaged or not the tool's own; it is ignored."""


# ---------------------------------------------------------------------------- cell contents

def neutralise_text(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``text`` with a leading single quote when it starts with one of :data:`CSV_TRIGGERS`,
        otherwise ``text`` unchanged.

    Examples
    --------
    >>> neutralise_text("=SUM(A1:A9)"), neutralise_text("-1 pp"), neutralise_text("GDP")
    ("'=SUM(A1:A9)", "'-1 pp", 'GDP')
    """
    return "'" + text if text.startswith(CSV_TRIGGERS) else text


def _neutral(value: Any) -> Any:
    return neutralise_text(value) if isinstance(value, str) else value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names cannot act as spreadsheet formulas.

    Only ``str`` values change (see :func:`neutralise_text`); numbers, negative ones included,
    missing values and dates are kept as they are, so a number column stays a number column.

    Parameters
    ----------
    frame : DataFrame

    Returns
    -------
    DataFrame
    """
    out = frame.copy()
    for j in range(out.shape[1]):
        column = out.iloc[:, j]
        if pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        out.isetitem(j, column.astype(object).map(_neutral))
    out.columns = [_neutral(c) for c in out.columns]
    return out


# ---------------------------------------------------------------------------- paths

def refuse_link(path: PathLike, what: str = "file") -> None:
    """Raise unless ``path`` is not a symbolic link (a missing path is fine).

    Parameters
    ----------
    path : str or path-like
    what : str
        What was expected at ``path``, for the message ("file", "folder for the chart images").

    Raises
    ------
    ReportError
        When ``path`` is a symbolic link, dangling or not; the message names the path and where
        the link points.
    """
    if os.path.islink(path):
        try:
            where = f" (to {os.readlink(path)})"
        except OSError:  # pragma: no cover - a link that cannot be read
            where = ""
        raise ReportError(f"{path} is a symbolic link{where}; expected a {what} or nothing at that path. "
                          "xiangxi-econ never writes through a link: remove the link or choose another place")


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: PathLike, write: Callable[[IO[bytes]], object]) -> Path:
    """Write a file through a temporary file in the same folder, renamed into place when complete.

    Parameters
    ----------
    path : str or path-like
        The file to write; an existing regular file is replaced (its permissions are kept), a
        symbolic link is refused.
    write : callable
        ``write(fh)`` writes the whole content to ``fh``, a file opened for writing bytes.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ReportError
        When ``path`` is a symbolic link, or the folder cannot be written (the message names the
        path). Whatever ``write`` raises otherwise is raised as it is. In every failure the file at
        ``path`` is as it was and the temporary file is removed.
    """
    path = Path(path)
    refuse_link(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode) if path.is_file() else _default_mode()
        # mkstemp opens with O_EXCL: it never opens an existing file or follows a link
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:60]}.", suffix=".tmp")
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        refuse_link(path)  # a link put there meanwhile: os.replace would replace the link, still refuse
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return path


def write_bytes(path: PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write`)."""
    return atomic_write(path, lambda fh: fh.write(data))


def write_text(path: PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write`)."""
    return write_bytes(path, text.encode(encoding))


def write_csv(frame: pd.DataFrame, path: PathLike, bom: bool = True) -> Path:
    """Write a table as CSV atomically, its text cells neutralised (see :func:`csv_safe`).

    Parameters
    ----------
    frame : DataFrame
        Written without its index.
    path : str or path-like
    bom : bool
        Start with a UTF-8 byte-order mark (Excel on Chinese Windows then reads the file as UTF-8).

    Returns
    -------
    pathlib.Path
    """
    text = csv_safe(frame).to_csv(index=False)
    return write_text(path, text, encoding="utf-8-sig" if bom else "utf-8")


# ---------------------------------------------------------------------------- manifest

def is_plain_name(name: object) -> bool:
    """Whether ``name`` is a name a manifest may list: ``report.html`` or ``charts/x.png``.

    A plain file name, or one under ``charts/``; never absolute, never ``.`` or ``..``, no other
    separator (``/`` or ``\\``), no drive, no control character.

    Examples
    --------
    >>> [is_plain_name(n) for n in ("report.html", "charts/gdp.png", "../x", "/etc/passwd", "a/b.csv")]
    [True, True, False, False, False]
    """
    if not isinstance(name, str):
        return False
    parts = name.split("/")
    if len(parts) == 2 and parts[0] == CHARTS:
        leaf = parts[1]
    elif len(parts) == 1:
        leaf = parts[0]
    else:
        return False
    return leaf not in ("", ".", "..") and leaf.isprintable() and not any(c in leaf for c in "\\:")


def read_manifest(path: PathLike) -> list[str]:
    """The files a previous run listed in the manifest at ``path``.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    list of str
        The names, in order, without repeats; empty when there is no manifest, and (with a
        :class:`ManifestWarning` naming the file and what was expected) when it cannot be read,
        is not a JSON object with a ``files`` list, or lists a name that is not plain (see
        :func:`is_plain_name`).

    Raises
    ------
    ReportError
        When ``path`` is a symbolic link or not a regular file.
    """
    refuse_link(path, "manifest file")
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        return _ignored(path, f"it cannot be read ({exc.strerror or exc})")
    if not stat.S_ISREG(info.st_mode):
        raise ReportError(f"{path} is not a regular file; expected the JSON manifest xiangxi-econ writes there")
    if info.st_size > MANIFEST_MAX_BYTES:
        return _ignored(path, f"it is larger than {MANIFEST_MAX_BYTES:,} bytes")
    try:
        with open(path, "rb") as fh:
            data = json.loads(fh.read(MANIFEST_MAX_BYTES + 1).decode("utf-8"))
    except OSError as exc:
        return _ignored(path, f"it cannot be read ({exc.strerror or exc})")
    except (ValueError, RecursionError):
        return _ignored(path, "it is not UTF-8 encoded JSON")
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return _ignored(path, 'it is not a JSON object with a "files" list')
    bad = [n for n in files if not is_plain_name(n)]
    if bad:
        return _ignored(path, f"it lists {bad[0]!r}, not a plain file name or charts/<file>")
    return list(dict.fromkeys(files))


def _ignored(path: PathLike, why: str) -> list[str]:
    warnings.warn(f"{path}: manifest ignored because {why}; expected a JSON object "
                  '{"files": [plain file names]}; files in the folder count as not written by xiangxi-econ',
                  ManifestWarning, stacklevel=3)
    return []


def write_manifest(path: PathLike, files: Iterable[str]) -> Path:
    """Write the manifest listing ``files`` (sorted), atomically.

    Parameters
    ----------
    path : str or path-like
    files : iterable of str
        Plain names (see :func:`is_plain_name`).

    Returns
    -------
    pathlib.Path
    """
    names = sorted(set(files))
    bad = [n for n in names if not is_plain_name(n)]
    if bad:
        raise ValueError(f"manifest names must be plain file names or charts/<file>; got {bad[0]!r}")
    return write_text(path, json.dumps({"files": names}, indent=1, ensure_ascii=False))


def remove_stale(folder: PathLike, names: Iterable[str], keep: Callable[[str], bool]) -> list[str]:
    """Remove files of an earlier run from ``folder``: each name that ``keep`` rejects.

    Only regular files are removed; a name that is now a link, a folder or missing is left alone.

    Parameters
    ----------
    folder : str or path-like
    names : iterable of str
        Plain names (see :func:`is_plain_name`) from the manifest.
    keep : callable
        ``keep(name)`` is true for a name to leave in place.

    Returns
    -------
    list of str
        The names removed.
    """
    removed = []
    for name in names:
        if keep(name) or not is_plain_name(name):
            continue
        target = Path(folder, name)
        if os.path.islink(target.parent) or os.path.islink(target):
            continue
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            if stat.S_ISREG(os.lstat(target).st_mode):
                target.unlink()
                removed.append(name)
    return removed
