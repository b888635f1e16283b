"""``sfa-desktop`` inside the PyInstaller bundle (the console script of a wheel install)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the demo generator's "spawn" child re-enters here
    from sfa_desktop.app import main

    sys.exit(main())
