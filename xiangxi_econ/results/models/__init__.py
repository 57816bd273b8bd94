"""Structural models: explicit accounting identities with named components, projected from the
2020 baseline, that solve for the component growth a target requires.

=========================  ===================================================  ===============
model                      identity                                             module
=========================  ===================================================  ===============
:class:`SectorStructure`   GDP = primary + secondary + tertiary value added     ``sectors``
:class:`TourismModel`      revenue = arrivals × spending per visitor            ``tourism``
:class:`RDIntensityModel`  intensity = R&D spending / GDP × 100                 ``rd``
:class:`UrbanisationModel` logit(rate) moves at the urban–rural growth diff.    ``urbanisation``
:class:`ProductivityModel` GDP = labour productivity × employment               ``ratios``
:class:`ShareOfGDPModel`   share = numerator (× CNY per USD) / GDP × 100        ``ratios``
=========================  ===================================================  ===============

>>> from xiangxi_econ.results.models import RDIntensityModel
>>> print(f"{RDIntensityModel(1.2, 725.11).required_rd_rate(2.0, 0.0664, 5):.2%}")
18.11%

Names load on first use, like the top-level package.
"""

from __future__ import annotations

from ..._lazy import lazy_module as _lazy_module

#: public name -> submodule that defines it
_EXPORTS = {
    "SectorStructure": "sectors",
    "SECTORS": "sectors",
    "TourismModel": "tourism",
    "TourismPaths": "tourism",
    "implied_revenue": "tourism",
    "implied_spending": "tourism",
    "RDIntensityModel": "rd",
    "UrbanisationModel": "urbanisation",
    "urgd": "urbanisation",
    "logistic_rate": "urbanisation",
    "ProductivityModel": "ratios",
    "ShareOfGDPModel": "ratios",
    "CNY_PER_USD_2020": "ratios",
    "MONEY_UNITS": "ratios",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = _lazy_module(__name__, _EXPORTS)
