"""Optimizer Playground: ``python main.py`` starts the app; ``--help`` lists the commands."""

import sys

from gui.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
