"""`python -m tui.cli`: the same as the `newsdesk` console script."""

import sys

from tui.cli.main import main

sys.exit(main())
