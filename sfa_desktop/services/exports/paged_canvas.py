"""A reportlab canvas that knows the page count while it draws each page's furniture.

Page furniture such as "Página 2 de 3" needs the total, which platypus only knows once the
last page is laid out. :class:`PagedCanvas` keeps every finished page open instead of writing
it, and on ``save()`` calls ``decorate(canvas, page, pages)`` on each one before writing it: one
layout pass, no second build.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

PageDecorator = Callable[[Canvas, int, int], None]
"""``decorate(canvas, page_number, page_count)``, drawn over the page's content."""


class PagedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
    """A canvas whose pages are decorated at ``save()`` time, knowing the page count."""

    def __init__(self, *args: Any, decorate: PageDecorator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        """Hold the finished page (its drawing state) and start the next one."""
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        """Decorate each held page with its number and the count, then write the file."""
        held = self._held_pages
        for number, state in enumerate(held, start=1):
            self.__dict__.update(state)
            self.saveState()
            self._decorate(self, number, len(held))
            self.restoreState()
            super().showPage()
        super().save()
