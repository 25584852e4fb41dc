"""``python -m toolkit``: see :mod:`toolkit.cli`."""

from .faces.cli import main

raise SystemExit(main())
