"""``python -m xiangxi_econ`` runs the command-line interface."""

from .cli import main

raise SystemExit(main())
