"""Benchmark: the quote PDF and the totals rule (issue "Quotes").

Measures, on the sample quotes of tests/services/quote_samples.py (sections, text lines,
optional lines, a logo; Spanish, draft watermark):

- rendering a 50-line quote to PDF bytes (target ≤ 150 ms) and a 500-line one, 15+ pages
  (target ≤ 1.5 s): p50 and worst over the runs, fonts already registered (the first render
  of a process, which also loads the fonts, is printed apart);
- the totals rule over 200 lines, what the quote editor recomputes on every keystroke
  (target ≤ 16 ms).

This is a benchmark, not a test: it prints figures and exits 0.

    python3 dev.py bench quote_pdf
    .venv/bin/python tests/bench/bench_quote_pdf.py --runs 20
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "services"))

from pypdf import PdfReader  # noqa: E402
from quote_samples import sample_document  # noqa: E402

from sfa_desktop.services.exports.quote_pdf import render_quote_pdf  # noqa: E402
from sync_server.protocol.quote_totals import quote_totals  # noqa: E402


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall times in milliseconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(name: str, times: list[float], target_ms: float) -> None:
    p50 = statistics.median(times)
    verdict = "ok" if p50 <= target_ms else "OVER TARGET"
    print(
        f"{name:<38} p50 {p50:8.1f} ms   worst {max(times):8.1f} ms   "
        f"target ≤ {target_ms:g} ms   {verdict}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per figure (default 10)")
    args = parser.parse_args()

    small, large = sample_document(50), sample_document(500)
    first = timed(lambda: render_quote_pdf(small), 1)[0]
    print(f"first render of the process (loads the fonts): {first:.1f} ms")
    pages = len(PdfReader(io.BytesIO(render_quote_pdf(large))).pages)
    report("quote PDF, 50 lines", timed(lambda: render_quote_pdf(small), args.runs), 150)
    report(
        f"quote PDF, 500 lines ({pages} pages)",
        timed(lambda: render_quote_pdf(large), max(3, args.runs // 3)),
        1500,
    )
    editor_lines = sample_document(200).lines
    report(
        "totals rule, 200 lines (per keystroke)",
        timed(lambda: quote_totals(editor_lines, "EUR"), args.runs * 20),
        16,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
