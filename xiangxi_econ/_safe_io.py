"""Safe output files: no formulas from user text, atomic writes, no writes through links, a checked manifest.

Every file the library writes (the report folder and ``--csv`` tables) goes through this module:

* :func:`csv_safe` neutralises text cells that a spreadsheet would run as a formula (OWASP's
  CSV-injection rule: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  gets a leading single quote); numbers, negative ones included, stay numbers;
* :func:`stage` writes a file's content to a temporary file beside it (``.<name>.<8 random>.tmp``)
  and :meth:`Staged.publish` renames it into place (:func:`os.replace`); :func:`atomic_write` does
  both, so a run that fails half-way leaves the previous file whole and no temporary file behind.
  A run killed outright (SIGKILL, power cut) cannot remove its temporary files: the next run
  removes those of the names it writes (:func:`remove_temporaries`);
* :func:`refuse_link` stops before any target that is a symbolic link, dangling or not: the
  library never writes through a link;
* :func:`read_manifest` reads the files a previous run wrote with the SHA-256 of the content it
  wrote (``{"files": [names], "sha256": {name: [hex digests]}}``), accepting only plain relative
  names and well-formed digests; anything else is treated as an empty manifest, with a
  :class:`ManifestWarning`. A file counts as the tool's own only while its content still has a
  recorded digest (:func:`owned`): a manifest naming someone's file never gets it overwritten or
  removed, and a name listed without a digest (a manifest of an older version) is not the tool's.

A leaf module: it imports nothing else from the package but :mod:`xiangxi_econ.exceptions`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator, Mapping

import pandas as pd

from .exceptions import PathLike, ReportError

#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP, CSV injection).
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: A manifest larger than this is not read [bytes].
MANIFEST_MAX_BYTES = 1 << 20
#: The only sub-folder a manifest name may have.
CHARTS = "charts"
#: A temporary file of :func:`stage`: ``.<name>.<mkstemp's 8 random characters>.tmp`` (the name cut
#: to 60 characters).
TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
#: A SHA-256 digest as the manifest records it: 64 lower-case hexadecimal digits.
DIGEST = re.compile(r"[0-9a-f]{64}")


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


@dataclass
class Staged:
    """A file's new content in a temporary file beside it, not yet in place (see :func:`stage`).

    Attributes
    ----------
    path : pathlib.Path
        Where the content goes.
    temporary : pathlib.Path
        The temporary file holding it: ``.<name>.<8 random characters>.tmp`` in the same folder.
    sha256 : str
        SHA-256 of the content, hexadecimal.
    """

    path: Path
    temporary: Path
    sha256: str

    def publish(self) -> Path:
        """Rename the temporary file into place (:func:`os.replace`, atomic on one file system).

        Returns
        -------
        pathlib.Path

        Raises
        ------
        ReportError
            When ``path`` has become a symbolic link or the rename fails; the temporary file is
            removed.
        """
        try:
            refuse_link(self.path)  # a link put there meanwhile: os.replace would replace the link, still refuse
            os.replace(self.temporary, self.path)
        except BaseException as exc:
            self.discard()
            if isinstance(exc, OSError):
                raise ReportError(f"cannot write {self.path}: {exc.strerror or exc}") from None
            raise
        return self.path

    def discard(self) -> None:
        """Remove the temporary file (nothing when it is gone)."""
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def stage(path: PathLike, write: Callable[[IO[bytes]], object]) -> Staged:
    """Write a file's whole content to a temporary file in its folder, ready to be renamed into place.

    Parameters
    ----------
    path : str or path-like
        The file the content is for; an existing regular file keeps its permissions when
        replaced, a symbolic link is refused.
    write : callable
        ``write(fh)`` writes the whole content to ``fh``, a file opened for writing bytes.

    Returns
    -------
    Staged
        Call :meth:`Staged.publish` to put it in place, :meth:`Staged.discard` to drop it.

    Raises
    ------
    ReportError
        When ``path`` is a symbolic link, or the folder cannot be written (the message names the
        path). Whatever ``write`` raises otherwise is raised as it is. In every failure the
        temporary file is removed.
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
        with os.fdopen(fd, "w+b") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
            fh.seek(0)
            digest = _sha256(fh)
        os.chmod(tmp, mode)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    return Staged(path, Path(tmp), digest)


def atomic_write(path: PathLike, write: Callable[[IO[bytes]], object]) -> Path:
    """Write a file through a temporary file in the same folder, renamed into place when complete.

    :func:`stage` then :meth:`Staged.publish`.

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
    return stage(path, write).publish()


def sha256_of(path: PathLike) -> str | None:
    """SHA-256 (hexadecimal) of the regular file at ``path``; None when it is missing, a link, not a
    regular file or unreadable.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    str or None
    """
    try:
        if os.path.islink(path) or not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            return _sha256(fh)
    except OSError:
        return None


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


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


def read_manifest(path: PathLike) -> dict[str, frozenset[str]]:
    """The files a previous run listed in the manifest at ``path``, with the digests it recorded.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    dict of str to frozenset of str
        Name -> SHA-256 digests (hexadecimal) of the contents the tool wrote under that name, in
        the manifest's order; a name listed without digests (a manifest of an older version) maps
        to an empty set and so is never the tool's (see :func:`owned`). Empty when there is no
        manifest, and (with a :class:`ManifestWarning` naming the file and what was expected) when
        it cannot be read, is not a JSON object with a ``files`` list, lists a name that is not
        plain (see :func:`is_plain_name`), or has a ``sha256`` entry that is not a mapping of a
        listed name to a list of 64-digit lower-case hexadecimal digests.

    Raises
    ------
    ReportError
        When ``path`` is a symbolic link or not a regular file.
    """
    refuse_link(path, "manifest file")
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return {}
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
    digests = data.get("sha256", {})
    if not isinstance(digests, dict):
        return _ignored(path, '"sha256" is not a JSON object of file name to digests')
    for name, values in digests.items():
        if name not in files or not isinstance(values, list) or \
                not all(isinstance(v, str) and DIGEST.fullmatch(v) for v in values):
            return _ignored(path, f'its "sha256" entry {name!r} is not a listed name with a list of SHA-256 '
                                  "digests (64 lower-case hexadecimal digits)")
    return {name: frozenset(digests.get(name, ())) for name in dict.fromkeys(files)}


def _ignored(path: PathLike, why: str) -> dict[str, frozenset[str]]:
    warnings.warn(f"{path}: manifest ignored because {why}; expected a JSON object "
                  '{"files": [plain file names], "sha256": {name: [digests]}}; files in the folder count as not '
                  "written by xiangxi-econ", ManifestWarning, stacklevel=3)
    return {}


def write_manifest(path: PathLike, files: Mapping[str, str | Iterable[str]]) -> Path:
    """Write the manifest: each file's name (sorted) with the SHA-256 digests of what the tool wrote.

    Parameters
    ----------
    path : str or path-like
    files : mapping of str to str or iterable of str
        Plain name (see :func:`is_plain_name`) -> digest, or several digests (while a run
        replaces a file, both the old and the new content are the tool's).

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For a name that is not plain or a digest that is not 64 lower-case hexadecimal digits.
    """
    names = sorted(files)
    bad = [n for n in names if not is_plain_name(n)]
    if bad:
        raise ValueError(f"manifest names must be plain file names or charts/<file>; got {bad[0]!r}")
    digests = {n: sorted(_digests(files[n])) for n in names}
    wrong = [d for values in digests.values() for d in values if not DIGEST.fullmatch(d)]
    if wrong:
        raise ValueError(f"manifest digests must be SHA-256 in lower-case hexadecimal; got {wrong[0]!r}")
    return write_text(path, json.dumps({"files": names, "sha256": digests}, indent=1, ensure_ascii=False))


def _digests(value: str | Iterable[str]) -> set[str]:
    return {value} if isinstance(value, str) else {str(v) for v in value}


def owned(folder: PathLike, manifest: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """The files of ``folder`` that are the tool's own: listed in ``manifest`` and still holding a
    content whose digest it recorded.

    Parameters
    ----------
    folder : str or path-like
    manifest : mapping of str to iterable of str
        As :func:`read_manifest` returns it.

    Returns
    -------
    dict of str to str
        Name -> the digest of its present content, for each regular file (never a link) whose
        digest is recorded; a file edited since, or named without a digest, is not included.
    """
    out = {}
    for name, recorded in manifest.items():
        if not is_plain_name(name) or os.path.islink(Path(folder, name).parent):
            continue
        digest = sha256_of(Path(folder, name))
        if digest is not None and digest in set(recorded):
            out[name] = digest
    return out


def remove_stale(folder: PathLike, names: Mapping[str, str], keep: Callable[[str], bool]) -> list[str]:
    """Remove files of an earlier run from ``folder``: each name that ``keep`` rejects, if the file
    still holds the content the tool wrote.

    Only regular files are removed; a name that is now a link, a folder, missing, or whose content
    no longer has the digest given is left alone.

    Parameters
    ----------
    folder : str or path-like
    names : mapping of str to str
        Plain name (see :func:`is_plain_name`) -> SHA-256 digest of the content the tool wrote
        (:func:`owned`).
    keep : callable
        ``keep(name)`` is true for a name to leave in place.

    Returns
    -------
    list of str
        The names removed.
    """
    removed = []
    for name, digest in names.items():
        if keep(name) or not is_plain_name(name):
            continue
        target = Path(folder, name)
        if os.path.islink(target.parent) or sha256_of(target) != digest:
            continue
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            target.unlink()
            removed.append(name)
    return removed


def remove_temporaries(folder: PathLike, names: Iterable[str]) -> list[str]:
    """Remove the temporary files :func:`stage` left for ``names`` in ``folder`` (a run killed
    before it could remove them).

    Only regular files named ``.<name>.<8 random characters>.tmp`` (:data:`TEMPORARY`) for one
    of ``names`` are removed; any other file, a link or a folder is left alone.

    Parameters
    ----------
    folder : str or path-like
    names : iterable of str
        Plain names (see :func:`is_plain_name`) of the files whose temporary files go.

    Returns
    -------
    list of str
        The temporary files removed, relative to ``folder`` (``charts/.gdp.png.k2j4_x9a.tmp``).
    """
    wanted = {(n.rpartition("/")[0], n.rpartition("/")[2][:60]) for n in names if is_plain_name(n)}
    removed = []
    for sub in sorted({sub for sub, _ in wanted}):
        where = Path(folder, sub)
        if os.path.islink(where):
            continue
        try:
            entries = list(os.scandir(where))
        except OSError:
            continue
        for entry in entries:
            match = TEMPORARY.fullmatch(entry.name)
            if match is None or (sub, match["name"]) not in wanted or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed.append(f"{sub}/{entry.name}" if sub else entry.name)
    return sorted(removed)


@contextlib.contextmanager
def folder_lock(folder: PathLike) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (an advisory ``flock`` on the folder itself, where the
    system has one) so two runs never write the same folder at once.

    Parameters
    ----------
    folder : str or path-like
        An existing folder.

    Raises
    ------
    ReportError
        When another run holds the lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise ReportError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportError(f"{folder} is being written by another xiangxi-econ run; wait for it to finish or "
                              "choose another --out folder") from None
        except OSError:  # pragma: no cover - a file system without locks: go on unlocked
            pass
        yield
    finally:
        os.close(fd)
