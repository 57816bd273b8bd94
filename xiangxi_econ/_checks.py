"""Private validation and shape helpers shared by :mod:`xiangxi_econ.maths.growth` and
:mod:`xiangxi_econ.maths.prices`.

Every public function of those modules follows the same three steps:

1. :func:`prepare` turns each argument into a float ``ndarray``, checks that pandas
   arguments carry the same labels, and checks that all arguments broadcast, naming the
   two arguments and their shapes when they do not;
2. the ``check_*`` helpers validate values and name the argument, the offending value
   and its position (NaN is never an error: it propagates);
3. :meth:`Prepared.wrap` gives the result the shape and labels of the input: a Python
   ``float`` for scalars, an ``ndarray`` for arrays, a ``Series``/``DataFrame`` with the
   input's index (and columns) for pandas objects.

Nothing here is public API; names may change without notice.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .exceptions import PercentLikeRateWarning

__all__ = [
    "PercentLikeRateWarning",
    "Prepared",
    "prepare",
    "check_positive",
    "check_years",
    "check_rate",
    "describe_position",
    "label",
]


_PANDAS = (pd.Series, pd.DataFrame)


@dataclass
class Prepared:
    """Arguments converted to float arrays, plus what is needed to wrap a result.

    Attributes
    ----------
    arrays : dict of str to ndarray
        Each argument as a float array. A Series whose index matches the rows of a
        DataFrame argument is reshaped to a column ``(n, 1)`` so that it broadcasts
        along rows.
    raw_shapes : dict of str to tuple
        Each argument's own shape (before any reshape), for error messages.
    template : Series or DataFrame or None
        The pandas argument with the most dimensions; its labels go on the result.
    all_scalar : bool
        True when no argument has a dimension; the result is then a Python float.
    shape : tuple
        Broadcast shape of all arguments.
    """

    arrays: dict[str, np.ndarray]
    raw_shapes: dict[str, tuple[int, ...]]
    originals: dict[str, Any]
    template: pd.Series | pd.DataFrame | None
    all_scalar: bool
    shape: tuple[int, ...]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def wrap(self, result: Any, dtype: Any = float) -> Any:
        """Give ``result`` the type and labels of the inputs."""
        result = np.asarray(result, dtype=dtype)
        if self.all_scalar and result.ndim == 0:
            return result.item() if dtype is not float else float(result)
        template = self.template
        if template is not None and result.shape == template.shape:
            if isinstance(template, pd.DataFrame):
                return pd.DataFrame(result, index=template.index, columns=template.columns)
            return pd.Series(result, index=template.index)
        return result


def _to_float_array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, _PANDAS):
        try:
            return value.to_numpy(dtype=float)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{name} must hold numbers; could not convert its values to float ({exc})"
            ) from None
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be a number or an array of numbers; got {value!r:.60} ({exc})"
        ) from None


def _labels_error(a: str, b: str, what: str, hint: str) -> ValueError:
    return ValueError(
        f"{a} and {b} have different {what}; xiangxi_econ combines pandas arguments by "
        f"position and needs identical labels. Align them first, e.g. {hint}"
    )


def _align_labels(arrays: dict[str, np.ndarray], name: str, value: Any, template_name: str,
                  template: pd.Series | pd.DataFrame) -> None:
    """Check that a pandas argument's labels match the template's; a Series matching a
    DataFrame's rows becomes a column so that it broadcasts along rows."""
    if isinstance(template, pd.DataFrame) and isinstance(value, pd.DataFrame):
        if not value.index.equals(template.index):
            raise _labels_error(template_name, name, "index labels", f"{name}.reindex({template_name}.index)")
        if not value.columns.equals(template.columns):
            raise _labels_error(template_name, name, "column labels",
                                f"{name}.reindex(columns={template_name}.columns)")
    elif isinstance(template, pd.DataFrame):
        # A Series against a DataFrame: match its index to the rows (one value per series) or,
        # failing that, to the columns (one value per year).
        if value.index.equals(template.index):
            arrays[name] = arrays[name].reshape(-1, 1)
        elif not value.index.equals(template.columns):
            raise ValueError(
                f"the index of {name} matches neither the index nor the columns "
                f"of {template_name}; align it first, e.g. "
                f"{name}.reindex({template_name}.index)"
            )
    elif not value.index.equals(template.index):
        raise _labels_error(template_name, name, "index labels", f"{name}.reindex({template_name}.index)")


def prepare(**named: Any) -> Prepared:
    """Convert named arguments to float arrays and check that they fit together.

    Raises
    ------
    TypeError
        If an argument cannot be converted to float.
    ValueError
        If two pandas arguments carry different labels, or two arguments cannot be
        broadcast (the message names both and gives their shapes).
    """
    arrays: dict[str, np.ndarray] = {}
    raw_shapes: dict[str, tuple[int, ...]] = {}
    template_name = ""
    template: pd.Series | pd.DataFrame | None = None
    for name, value in named.items():
        arr = _to_float_array(name, value)
        arrays[name] = arr
        raw_shapes[name] = arr.shape
        if isinstance(value, _PANDAS) and (template is None or value.ndim > template.ndim):
            template, template_name = value, name

    # Labels of pandas arguments must agree with the template's.
    if template is not None:
        for name, value in named.items():
            if name != template_name and isinstance(value, _PANDAS):
                _align_labels(arrays, name, value, template_name, template)

    shapes = {name: arr.shape for name, arr in arrays.items()}
    try:
        shape = np.broadcast_shapes(*shapes.values())
    except ValueError:
        names = list(shapes)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                try:
                    np.broadcast_shapes(shapes[a], shapes[b])
                except ValueError:
                    raise ValueError(
                        f"{a} has shape {raw_shapes[a]} and {b} has shape {raw_shapes[b]}; "
                        f"these shapes cannot be broadcast together"
                    ) from None
        raise  # pragma: no cover - a failing set always has a failing pair
    all_scalar = template is None and all(arr.ndim == 0 for arr in arrays.values())
    return Prepared(arrays, raw_shapes, dict(named), template, all_scalar, shape)


def describe_position(arr: np.ndarray, flat_index: int, original: Any = None) -> str:
    """``'at position 3'`` (0-based) plus the pandas label when there is one."""
    if arr.ndim == 0:
        return ""
    pos = np.unravel_index(flat_index, arr.shape)
    pos_text = str(int(pos[0])) if arr.ndim == 1 else str(tuple(int(p) for p in pos))
    text = f" at position {pos_text}"
    if isinstance(original, pd.DataFrame) and arr.ndim == 2:
        text += f" (row {label(original.index[pos[0]])!r}, column {label(original.columns[pos[1]])!r})"
    elif isinstance(original, pd.Series) and arr.ndim == 1:
        text += f" (index label {label(original.index[pos[0]])!r})"
    return text


def label(value: Any) -> Any:
    """A pandas label as a plain Python object, so that its repr reads naturally."""
    return value.item() if isinstance(value, np.generic) else value


def _first_bad(name: str, arr: np.ndarray, bad: np.ndarray, original: Any) -> str:
    flat = int(np.argmax(bad.ravel())) if bad.ndim else 0
    value = arr.ravel()[flat] if arr.ndim else arr.item()
    text = f"got {value:g}{describe_position(arr, flat, original)}"
    n_bad = int(np.count_nonzero(bad))
    if n_bad > 1:
        text += f" (and {n_bad - 1} more)"
    return text


def check_positive(prep: Prepared, name: str, purpose: str) -> None:
    """Raise ``ValueError`` if any non-NaN value of argument ``name`` is <= 0."""
    arr = prep.arrays[name].reshape(prep.raw_shapes[name])
    bad = arr <= 0  # NaN compares False: it propagates instead of raising
    if np.any(bad):
        raise ValueError(
            f"{name} must be positive for {purpose}; "
            f"{_first_bad(name, arr, bad, prep.originals[name])}"
        )


def check_years(
    prep: Prepared, name: str = "years", *, allow_zero: bool = False, whole: bool = False
) -> None:
    """Validate a horizon in years: > 0 (or >= 0), finite, optionally whole."""
    arr = prep.arrays[name].reshape(prep.raw_shapes[name])
    original = prep.originals[name]
    bad = arr < 0 if allow_zero else arr <= 0
    if np.any(bad):
        need = "zero or positive" if allow_zero else "positive"
        raise ValueError(
            f"{name} must be {need} [years]; {_first_bad(name, arr, bad, original)}"
        )
    bad = np.isinf(arr)
    if np.any(bad):
        raise ValueError(f"{name} must be finite [years]; {_first_bad(name, arr, bad, original)}")
    if whole:
        bad = np.isfinite(arr) & (arr != np.round(arr))
        if np.any(bad):
            raise ValueError(
                f"{name} must be a whole number of years (the sum runs over t = 1..{name}); "
                f"{_first_bad(name, arr, bad, original)}"
            )


def check_rate(prep: Prepared, name: str, *, stacklevel: int = 3) -> None:
    """Validate a rate given as a fraction per year.

    Raises ``ValueError`` for rates below -1 (a fall of more than 100% a year) and
    warns with :class:`PercentLikeRateWarning` when ``|rate| > 1``.
    """
    arr = prep.arrays[name].reshape(prep.raw_shapes[name])
    original = prep.originals[name]
    below = arr < -1
    if np.any(below):
        raise ValueError(
            f"{name} must be >= -1 [fraction per year] (-1 is a fall of 100% a year); "
            f"{_first_bad(name, arr, below, original)}. Rates are fractions: 0.075 means "
            f"7.5%; if you passed a percent, divide it by 100"
        )
    big = np.abs(arr) > 1
    if np.any(big):
        warnings.warn(
            f"{name} looks like a percent: {_first_bad(name, arr, big, original)} with "
            f"|{name}| > 1. Rates are fractions per year (0.075 means 7.5%); divide a "
            f"percent by 100",
            PercentLikeRateWarning,
            stacklevel=stacklevel,
        )
