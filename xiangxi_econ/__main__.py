"""``python -m xiangxi_econ`` runs the command-line interface."""

from .face.cli import main

raise SystemExit(main())
