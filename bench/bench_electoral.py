"""Seat allocation speed: one line per figure, no asserts (run: python bench/bench_electoral.py).

Figures: the Kazakhstan 2023 law (69 seats, 7 lists + against all, threshold and Hare),
each divisor and quota method on 1,000 seats x 50 parties, and a compensatory system.
"""

from __future__ import annotations

import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

try:
    import eom.electoral  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eom.electoral import Compensatory, DivisorMethod, load_law, make_method

# Votes from /work/shared/data/kz2023/results.json.
KZ2023 = {
    "Amanat": 3_431_510,
    "Auyl": 693_938,
    "Respublica": 547_154,
    "Ak Zhol": 535_139,
    "People's Party": 432_920,
    "OSDP": 331_058,
    "Baytaq": 146_431,
    "against_all": 248_291,
}
FIFTY = {f"Party {i:02d}": 10_000 + (i * 7_919) % 500_000 for i in range(50)}


def rate(call: Callable[[], object], min_seconds: float = 0.5) -> tuple[float, float]:
    """Calls per second and milliseconds per call, over at least `min_seconds`."""
    call()
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < min_seconds:
        call()
        n += 1
    return n / elapsed, 1_000 * elapsed / n


def line(label: str, call: Callable[[], object]) -> None:
    per_second, ms = rate(call)
    print(f"{label}: {per_second:,.0f} allocations/s ({ms:.3f} ms each)")


def main() -> None:
    print(
        f"machine: {platform.machine()} {platform.processor() or ''}".rstrip()
        + f", Python {platform.python_version()}"
    )
    law = load_law("kz-mazhilis-2023")
    line("kz-mazhilis-2023 law, 69 seats x 7 lists + against all", lambda: law.allocate(KZ2023))
    line("D'Hondt, 69 seats x 7 lists", lambda: DivisorMethod("dhondt").allocate(KZ2023, 69))
    for key in ("dhondt", "sainte-lague", "huntington-hill", "hare", "droop", "imperiali"):
        method = make_method(key)
        line(f"{key}, 1,000 seats x 50 parties", lambda m=method: m.allocate(FIFTY, 1_000))
    mmp = Compensatory(DivisorMethod("sainte-lague"), overhang_rule="level")
    # The largest party wins every district: its 299 district seats need levelling seats.
    biggest = max(FIFTY, key=FIFTY.__getitem__)
    districts = {f"d{i}": {biggest: 3, f"Party {i % 50:02d}": 2} for i in range(299)}
    line(
        "compensatory with levelling, 598 seats, 299 districts x 50 parties",
        lambda: mmp.allocate(FIFTY, 598, district_votes=districts),
    )


if __name__ == "__main__":
    main()
