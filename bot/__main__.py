"""`python -m bot [COMMAND]`: the same as `newsbot`; with no command, `newsbot run`."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["run"]))
