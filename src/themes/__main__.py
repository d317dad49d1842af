"""``python -m themes``: the command line."""

import sys

from themes.cli import main

sys.exit(main())
