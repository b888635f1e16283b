"""The pages of one pull, fetched ahead of the thread that writes them, in order.

A page's request can go out as soon as the page before it is parsed: its envelope holds the
cursor. Waiting until the writer took the page before (as one fetch at a time did) left the
server idle while the client built that page's rows and while the writer caught up. Here a
reader thread sends each request the moment the previous answer's envelope is read, builds that
page's rows while the server works on the next (the HTTP exchange runs on a thread of its own),
and keeps up to ``ahead`` pages ready for the writer, which takes them in order (with one more
read and one more requested meanwhile, at most).

A failed fetch is handed to the writer in the failed page's place, after the pages before it,
so what was already fetched is written (and committed) first. Nothing is written here: the
writer alone applies pages and saves the cursor, one transaction at a time, so a crash loses at
most the pages fetched ahead (the server keeps no state of a pull: they are fetched again).
"""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

from .pulled_pages import PulledPage, read_envelope
from .transport import SyncApi


class PageFeed:
    """Pages after ``first``, fetched by a reader thread started by :meth:`start`."""

    def __init__(self, api: SyncApi, limit: int, first: PulledPage, *, ahead: int) -> None:
        self._api = api
        self._limit = limit
        self._cursor = first.next_cursor if first.has_more else None
        self._ahead = max(1, ahead)
        self._ready: deque[PulledPage | BaseException] = deque()
        self._changed = threading.Condition()
        self._closed = False
        self._reader: threading.Thread | None = None
        self._http: ThreadPoolExecutor | None = None

    def __enter__(self) -> PageFeed:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Start fetching (once; nothing to fetch after a last page)."""
        if self._reader is not None or self._cursor is None:
            return
        self._http = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sfa-pull-http")
        self._reader = threading.Thread(target=self._read_all, name="sfa-pull", daemon=True)
        self._reader.start()

    def wait(self, timeout: float) -> bool:
        """Whether the next page is here (or its fetch failed) within ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: bool(self._ready), timeout)

    @property
    def failed(self) -> bool:
        """Whether the next item is a failed fetch (the writer commits before taking it)."""
        with self._changed:
            return bool(self._ready) and isinstance(self._ready[0], BaseException)

    def take(self) -> PulledPage:
        """The next page (waiting for it); raises its fetch's error."""
        self.start()
        with self._changed:
            self._changed.wait_for(lambda: bool(self._ready))
            item = self._ready.popleft()
            self._changed.notify_all()
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        """Stop fetching; waits for a request in flight to end."""
        with self._changed:
            self._closed = True
            self._ready.clear()
            self._changed.notify_all()
        if self._reader is not None:
            self._reader.join()
        if self._http is not None:
            self._http.shutdown(wait=True, cancel_futures=True)

    # --- the reader thread ----------------------------------------------------------------------

    def _request(self, cursor: str) -> Future[tuple[bytes, str]]:
        assert self._http is not None
        return self._http.submit(self._api.pull_answer, cursor, self._limit)

    def _read_all(self) -> None:
        assert self._cursor is not None
        answer = self._request(self._cursor)
        try:
            while True:
                page = read_envelope(*answer.result())
                if page.has_more and not self._closed:
                    answer = self._request(page.next_cursor)  # out before this page is built
                page.prepare()
                if not self._hand_over(page) or not page.has_more:
                    return
        except BaseException as error:  # the writer raises it in its place
            self._hand_over(error)

    def _hand_over(self, item: PulledPage | BaseException) -> bool:
        """Queue ``item`` once fewer than ``ahead`` wait; False if the feed was closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or len(self._ready) < self._ahead)
            if self._closed:
                return False
            self._ready.append(item)
            self._changed.notify_all()
            return True
