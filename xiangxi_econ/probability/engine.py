r"""The one probability engine: each target's distribution, with the national shock shared.

One job: given one :class:`~xiangxi_econ.probability.target_models.Marginal` per target (from a reference
class, or the trend engine's steps), give every target's quantiles and probability of being met in
closed form (one-dimensional quadrature), the probability that several targets are met **together**,
and joint draws. Every target's scalar is

.. math:: y_j = c_j + \sigma_{c,j} Z + \varepsilon_j, \qquad Z = F_j^{-1}(V),\; V \sim U(0,1),

with one :math:`V` for all targets (the common national shock; :math:`F_j` normal or Student t)
and :math:`\varepsilon_j` independent across targets (normal, or a quantile grid). Given
:math:`V` the targets are independent, so

.. math::

    P_j = \int_0^1 p_j(v)\,dv, \qquad P(\text{all met}) = \int_0^1 \prod_j p_j(v)\,dv,

:math:`p_j(v) = P(y_j \text{ past } u_j \mid V = v)`, integrated by the midpoint rule on
:data:`NODES` points of :math:`v`. The value is a monotone map of :math:`y`: ``log``
:math:`x_o e^{hy}`, ``pp`` :math:`\mathrm{clip}(x_o + hy)`, ``logit``
:math:`100\,\mathrm{expit}(\lambda_o + hy)`, ``growth`` :math:`100(e^{y} - 1)` (average annual growth
[%]), ``total`` :math:`x_o\sum_{t=1}^{h} e^{ty}` (a five-year total on a constant-growth path). A
target is met when the value is at or past the target on its bound side
(:func:`~xiangxi_econ.rules.meaning.bound_side`), so its threshold :math:`u_j` is the inverse map of the
target.

Draws come in blocks of :data:`BLOCK` with a stream per block
(``SeedSequence(seed, spawn_key=(block,))``): the same seed gives the same draws for any chunk size,
and memory stays flat (one chunk of targets × draws at a time).

References
----------
Gneiting, T. and Raftery, A. (2007), JASA 102. Britton, E., Fisher, P. and Whitley, J. (1998),
"The Inflation Report projections: understanding the fan chart", *Bank of England Quarterly
Bulletin* 38(1) (two-piece normal steps of the trend engine).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from .target_models import Marginal

__all__ = ["BLOCK", "MAX_CELLS", "NODES", "TargetSet", "memory_estimate"]

NODES = 2001
"""Quadrature nodes over the common shock's probability scale."""
BLOCK = 8192
"""Draws per random-number block."""
MAX_CELLS = 2_000_000_000
"""Most target-draws a simulation accepts (16 GB of float64 if held at once) [cells]."""
TRANSFORMS = ("log", "pp", "logit", "growth", "total")


def memory_estimate(n_targets: int, n_draws: int, chunk: int) -> int:
    """Peak bytes of the draw loop: a few float64 arrays of one chunk of targets × draws."""
    return int(6 * 8 * n_targets * min(chunk, n_draws))


def _ppf(v: np.ndarray, dof: np.ndarray) -> np.ndarray:
    """Common shock quantiles: rows per target (dof), columns per v."""
    dof = np.asarray(dof, dtype=float)[:, None]
    fin = np.isfinite(dof)
    t = special.stdtrit(np.where(fin, dof, 1.0), v[None, :])
    return np.where(fin, t, special.ndtri(v)[None, :])


@dataclass(frozen=True)
class TargetSet:
    """Targets' distributions at their target years, sharing the common shock.

    Attributes (arrays of length n_targets)
    ----------
    ids : list of str
    transform : ndarray of str
    base : ndarray
        :math:`x_o` (``growth``: unused) [unit].
    horizon : ndarray of int
        Years from the origin to the target year.
    centre, sigma_common, dof, resid_sd : ndarray
        :math:`c_j`, :math:`\\sigma_{c,j}`, degrees of freedom of the common shock, and the sd of a
        normal :math:`\\varepsilon_j` (NaN where ``resid`` holds an empirical grid).
    resid : ndarray, shape (n_targets, M)
        Sorted quantile grid of :math:`\\varepsilon_j` at levels :math:`(k + 1/2)/m_j`, padded with NaN
        where a target's grid has fewer points :math:`m_j`.
    lo, hi : ndarray
        Bounds of the value.
    threshold : ndarray
        Target value [unit] (NaN: no target, e.g. a fan only).
    at_most : ndarray of bool
        Whether the target is met at or below its value.
    """

    ids: list
    transform: np.ndarray
    base: np.ndarray
    horizon: np.ndarray
    centre: np.ndarray
    sigma_common: np.ndarray
    dof: np.ndarray
    resid_sd: np.ndarray
    resid: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    threshold: np.ndarray
    at_most: np.ndarray

    # -- building
    @classmethod
    def from_marginals(cls, ids: Sequence[str], marginals: Sequence[Marginal], horizons: Sequence[int] | np.ndarray,
                       thresholds: Sequence[float] | np.ndarray, at_most: Sequence[bool] | np.ndarray,
                       transforms: Sequence[str] | None = None) -> "TargetSet":
        """One row per target: ``marginals[j]`` read at ``horizons[j]`` years after its origin."""
        n = len(ids)
        hz = np.asarray(horizons, dtype=int)
        if len(marginals) != n or len(hz) != n:
            raise ValueError("ids, marginals and horizons must have the same length")
        for j, m in enumerate(marginals):
            if not 1 <= hz[j] <= m.horizon:
                raise ValueError(f"{ids[j]}: horizon {hz[j]} outside the marginal's 1..{m.horizon}")
        k = hz - 1
        tr = np.asarray([m.transform for m in marginals] if transforms is None else transforms, dtype=object)
        bad = set(tr) - set(TRANSFORMS)
        if bad:
            raise ValueError(f"unknown transform(s) {sorted(bad)}; expected one of {TRANSFORMS}")
        grids = [np.asarray(m.resid[k[j]], dtype=float) for j, m in enumerate(marginals)]
        width = max((len(g) for g in grids), default=1)
        resid = np.full((n, width), np.nan)
        for j, g in enumerate(grids):  # grids of different sizes, padded with NaN on the right
            resid[j, :len(g)] = g
        sd = np.array([_normal_sd(m.resid[k[j]]) for j, m in enumerate(marginals)], dtype=float)
        return cls(ids=list(ids), transform=tr, base=np.array([m.base for m in marginals], dtype=float),
                   horizon=hz, centre=np.array([m.centre[k[j]] for j, m in enumerate(marginals)], dtype=float),
                   sigma_common=np.array([m.sigma_common[k[j]] for j, m in enumerate(marginals)], dtype=float),
                   dof=np.array([m.dof[k[j]] for j, m in enumerate(marginals)], dtype=float),
                   resid_sd=sd, resid=resid,
                   lo=np.array([m.limits[0] for m in marginals], dtype=float),
                   hi=np.array([m.limits[1] for m in marginals], dtype=float),
                   threshold=np.asarray(thresholds, dtype=float), at_most=np.asarray(at_most, dtype=bool))

    def __len__(self) -> int:
        return len(self.ids)

    # -- maps between y and the value
    def value(self, y: np.ndarray) -> np.ndarray:
        """Values from ``y`` of shape (n_targets, ...), row by transform (no full-size temporaries)."""
        y = np.asarray(y, dtype=float)
        out = np.empty(y.shape)
        ex = (slice(None),) + (None,) * (y.ndim - 1)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for tr in np.unique(self.transform):
                rows = np.flatnonzero(self.transform == tr)
                h = self.horizon[rows][ex].astype(float)
                base = self.base[rows][ex]
                yy = y[rows]
                if tr == "log":
                    out[rows] = base * np.exp(h * yy)
                elif tr == "pp":
                    out[rows] = np.clip(base + h * yy, self.lo[rows][ex], self.hi[rows][ex])
                elif tr == "logit":
                    b = np.clip(base, 1e-9, 100 - 1e-9)
                    out[rows] = 100 * special.expit(np.log(b / (100 - b)) + h * yy)
                elif tr == "growth":
                    out[rows] = 100 * np.expm1(yy)
                else:  # total: base * sum_{t <= h} exp(t y)
                    t = np.arange(1, int(self.horizon[rows].max()) + 1, dtype=float)
                    mask = t[(None,) * yy.ndim] <= h[..., None]
                    out[rows] = base * (np.exp(yy[..., None] * t[(None,) * yy.ndim]) * mask).sum(axis=-1)
        return out

    def _threshold_y(self) -> np.ndarray:
        """:math:`u_j`: the y at which the value equals the target (±inf past the bounds)."""
        t, b, h = self.threshold, self.base, self.horizon.astype(float)
        u = np.full(len(self), np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            m = self.transform == "log"
            u[m] = np.log(t[m] / b[m]) / h[m]
            m = self.transform == "pp"
            u[m] = (t[m] - b[m]) / h[m]
            m = self.transform == "logit"
            lam0 = np.log(b[m] / (100 - b[m]))
            u[m] = (np.log(t[m] / (100 - t[m])) - lam0) / h[m]
            m = self.transform == "growth"
            u[m] = np.log1p(t[m] / 100)
        m = self.transform == "total"
        if m.any():
            u[m] = self._invert_total(np.flatnonzero(m))
        # past the bounds of a bounded value
        above = self.threshold > self.hi
        below = self.threshold < self.lo
        u = np.where(above, np.inf, np.where(below, -np.inf, u))
        return u

    def _invert_total(self, idx: np.ndarray) -> np.ndarray:
        lo = np.full(len(idx), -1.0)
        hi = np.full(len(idx), 1.0)
        sub = self._subset(idx)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            v = sub.value(mid)
            up = v < sub.threshold
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
        return 0.5 * (lo + hi)

    def _subset(self, idx: np.ndarray) -> "TargetSet":
        return TargetSet(ids=[self.ids[i] for i in idx], transform=self.transform[idx], base=self.base[idx],
                         horizon=self.horizon[idx], centre=self.centre[idx], sigma_common=self.sigma_common[idx],
                         dof=self.dof[idx], resid_sd=self.resid_sd[idx], resid=self.resid[idx], lo=self.lo[idx],
                         hi=self.hi[idx], threshold=self.threshold[idx], at_most=self.at_most[idx])

    # -- conditional on the common shock
    def _cdf_given(self, u: np.ndarray, z: np.ndarray) -> np.ndarray:
        """:math:`P(y_j \\le u_j \\mid Z)` for z of shape (n_targets, K)."""
        cut = (u - self.centre)[:, None] - self.sigma_common[:, None] * z
        normal = np.isfinite(self.resid_sd)
        out = np.empty_like(cut)
        if normal.any():
            sd = np.where(self.resid_sd[normal] > 0, self.resid_sd[normal], 1e-300)[:, None]
            out[normal] = special.ndtr(cut[normal] / sd)
        for j in np.flatnonzero(~normal):
            grid = self.resid[j][np.isfinite(self.resid[j])]
            levels = (np.arange(len(grid)) + 0.5) / len(grid)
            out[j] = np.interp(cut[j], grid, levels, left=0.0, right=1.0)
        return out

    def _met_given(self, nodes: int = NODES) -> np.ndarray:
        """:math:`p_j(v)`, shape (n_targets, nodes)."""
        v = (np.arange(nodes) + 0.5) / nodes
        z = _ppf(v, self.dof)
        u = self._threshold_y()
        below = self._cdf_given(np.where(np.isfinite(u), u, 0.0), z)
        below = np.where(np.isposinf(u)[:, None], 1.0, np.where(np.isneginf(u)[:, None], 0.0, below))
        # met at or past the target: P(y >= u) for at-least targets, P(y <= u) for at-most ones
        return np.where(self.at_most[:, None], below, 1.0 - below)

    # -- results
    def probability(self) -> np.ndarray:
        """:math:`P_j` of meeting each target (NaN where there is no target)."""
        p = self._met_given().mean(axis=1)
        return np.where(np.isfinite(self.threshold), np.clip(p, 0.0, 1.0), np.nan)

    def joint_probability(self, ids: Sequence[str] | None = None) -> float:
        """Probability that every listed target (default all with a target) is met together."""
        pick = np.isfinite(self.threshold)
        if ids is not None:
            unknown = sorted(set(ids) - set(self.ids))
            if unknown:
                raise KeyError(f"joint_probability: not simulated: {unknown}; simulated: {self.ids}")
            pick &= np.isin(np.asarray(self.ids, dtype=object), list(ids))
        if not pick.any():
            return float("nan")
        cond = self._subset(np.flatnonzero(pick))._met_given()
        return float(np.clip(np.prod(cond, axis=0).mean(), 0.0, 1.0))

    def cdf_y(self, u: np.ndarray, nodes: int = NODES) -> np.ndarray:
        """:math:`P(y_j \\le u_{jk})` for u of shape (n_targets, K)."""
        v = (np.arange(nodes) + 0.5) / nodes
        z = _ppf(v, self.dof)
        out = np.empty(u.shape)
        for k in range(u.shape[1]):
            out[:, k] = self._cdf_given(u[:, k], z).mean(axis=1)
        return out

    def quantiles(self, probs: Sequence[float] | np.ndarray) -> np.ndarray:
        """Quantiles of each target's value, shape (n_targets, len(probs)), by bisection on the CDF of y
        (the value is a monotone map of y, so its quantiles are the maps of y's)."""
        p = np.asarray(probs, dtype=float)
        # normal common shock and normal own error: y is normal, its quantiles in closed form
        closed = np.isfinite(self.resid_sd) & ~np.isfinite(self.dof)
        if closed.all():
            sd = np.sqrt(self.sigma_common ** 2 + self.resid_sd ** 2)
            return self.value(self.centre[:, None] + sd[:, None] * special.ndtri(p)[None, :])
        if closed.any():
            out = np.empty((len(self), p.size))
            for rows in (np.flatnonzero(closed), np.flatnonzero(~closed)):
                out[rows] = self._subset(rows).quantiles(p)
            return out
        spread = self.sigma_common * 12 + np.where(np.isfinite(self.resid_sd), self.resid_sd * 9,
                                                   np.nanmax(np.abs(self.resid), axis=1) * 2) + 1e-9
        lo = np.repeat((self.centre - spread)[:, None], p.size, axis=1)
        hi = np.repeat((self.centre + spread)[:, None], p.size, axis=1)
        for _ in range(48):
            mid = 0.5 * (lo + hi)
            below = self.cdf_y(mid, nodes=801) < p[None, :]
            lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
        return self.value(0.5 * (lo + hi))

    def draws_y(self, n_draws: int, seed: int = 0, chunk_size: int = 131_072) -> Iterator[np.ndarray]:
        """Joint draws of each target's scalar :math:`y` in chunks of shape (n_targets, chunk): one common
        shock per draw for every target (a standard normal when every common shock is normal, else a
        uniform through each target's quantile function), a normal idiosyncratic error per target, and a
        uniform only for the targets whose error is an empirical grid; identical for any ``chunk_size``."""
        n_blocks = -(-int(n_draws) // BLOCK)
        per = max(1, -(-int(chunk_size) // BLOCK))
        normal = np.isfinite(self.resid_sd)
        grid_rows = np.flatnonzero(~normal)
        m = np.isfinite(self.resid[grid_rows]).sum(axis=1)
        all_normal_common = bool(np.all(~np.isfinite(self.dof)))
        centre, common, sd = self.centre[:, None], self.sigma_common[:, None], self.resid_sd[normal][:, None]
        for first in range(0, n_blocks, per):
            last = min(first + per, n_blocks)
            width = min(last * BLOCK, int(n_draws)) - first * BLOCK
            out = np.empty((len(self), width))
            at = 0
            for b in range(first, last):
                n = min(BLOCK, int(n_draws) - b * BLOCK)
                rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(b,))))
                z = rng.standard_normal(n)[None, :] if all_normal_common else _ppf(rng.random(n), self.dof)
                e = rng.standard_normal((len(self), n))
                block = out[:, at:at + n]
                np.multiply(common, z, out=block)
                block += centre
                if normal.all():
                    block += e * self.resid_sd[:, None]
                else:
                    block[normal] += e[normal] * sd
                    if len(grid_rows):
                        r = rng.random((len(grid_rows), n))
                        block[grid_rows] += _grid_draw(self.resid[grid_rows], r, m)
                at += n
            yield out

    def draws(self, n_draws: int, seed: int = 0, chunk_size: int = 131_072) -> Iterator[np.ndarray]:
        """Joint draws of the values (the maps of :meth:`draws_y`) in chunks of shape (n_targets, chunk)."""
        for y in self.draws_y(n_draws, seed, chunk_size):
            yield self.value(y)

    def met_y(self, y: np.ndarray) -> np.ndarray:
        """Whether each drawn scalar meets its target (rows: targets): :math:`y \\ge u_j` for at-least
        targets, :math:`y \\le u_j` for at-most ones (the value is a monotone map of y; a target past a
        bound has :math:`u = \\pm\\infty`). NaN thresholds never meet."""
        u = self._threshold_y()[:, None]
        return np.where(self.at_most[:, None], y <= u, y >= u) & np.isfinite(self.threshold)[:, None]

    def met(self, values: np.ndarray) -> np.ndarray:
        """Whether each drawn value meets its target (rows: targets)."""
        from ..rules import meaning as _rules

        bound = np.where(self.at_most, "at_most", "at_least")
        return _rules.meets(np.asarray(values).T, self.threshold, bound, np.full(len(self), ""), tol=0.0).T


def _normal_sd(grid: np.ndarray) -> float:
    """The sd of a grid that is a scaled normal quantile grid, else NaN."""
    m = len(grid)
    ref = special.ndtri((np.arange(m) + 0.5) / m)
    sd = float(grid[-1] / ref[-1]) if ref[-1] else 0.0
    if np.allclose(grid, sd * ref, rtol=1e-9, atol=1e-12):
        return max(sd, 0.0)
    return math.nan


def _grid_draw(grid: np.ndarray, r: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Draws from each row's quantile grid (``m`` points per row) by linear interpolation of the
    inverse CDF at r."""
    m = np.asarray(m)[:, None]
    pos = np.clip(r * m - 0.5, 0, m - 1)
    i = np.floor(pos).astype(int)
    j = np.minimum(i + 1, m - 1)
    w = pos - i
    rows = np.arange(grid.shape[0])[:, None]
    return grid[rows, i] * (1 - w) + grid[rows, j] * w
