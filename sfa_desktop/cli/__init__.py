"""The ``sfa`` command line (console script ``sfa = "sfa_desktop.cli:main"``)."""

from .main import main

__all__ = ["main"]
