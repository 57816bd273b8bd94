"""Fan chart of a :class:`~xiangxi_econ.forecast.Forecast` (to be moved into ``plotting.py``).

matplotlib is imported inside the function, so importing this module stays light.
"""

from __future__ import annotations

from typing import Any

import pandas as pd


def plot_forecast(fc: Any, ax: Any = None, observed: pd.Series | None = None) -> Any:
    """Fan of path quantiles: 5–95% (light) and 25–75% (darker) bands, the median line, and the
    observed points on top when given.

    Parameters
    ----------
    fc : Forecast
        From :func:`xiangxi_econ.forecast.forecast`.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when ``None``.
    observed : pandas.Series, optional
        Observed values by integer year [series unit].

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    pq = fc.path_quantiles((0.05, 0.25, 0.5, 0.75, 0.95))
    years = pq.index.to_numpy()
    ax.fill_between(years, pq[0.05], pq[0.95], color="tab:blue", alpha=0.18, lw=0, label="5–95%")
    ax.fill_between(years, pq[0.25], pq[0.75], color="tab:blue", alpha=0.35, lw=0, label="25–75%")
    ax.plot(years, pq[0.5], color="tab:blue", lw=1.5, label="median")
    if observed is not None:
        obs = observed.dropna()
        ax.plot(obs.index.to_numpy(), obs.to_numpy(), "o", color="black", ms=3.5, zorder=5, label="observed")
    ax.set_xlabel("year")
    ax.set_title(f"{fc.name or 'series'}: forecast for {fc.to_year} as of {fc.as_of_year}")
    ax.legend(frameon=False, fontsize="small", loc="upper left")
    return ax
