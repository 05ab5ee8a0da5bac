"""`python -m dossier`: see dossier/cli.py."""

import sys

from dossier.cli import main

sys.exit(main())
