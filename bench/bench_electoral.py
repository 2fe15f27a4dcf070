"""Seat allocation speed: one line per figure, no asserts (run: python bench/bench_electoral.py).

Figures: the Kazakhstan 2023 law (69 seats, 7 lists + against all, threshold and Hare),
each divisor and quota method on 1,000 seats x 50 parties, and a compensatory system.
Then one line per real parliament checked in tests/electoral (votes from tests/data): the
median of 200 allocations in ms (and the slowest single run), and a last line with the
largest of those medians against the target of under 10 ms per allocation.
"""

from __future__ import annotations

import csv
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

try:
    import eom.electoral  # noqa: F401
except ImportError:  # running from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from eom.electoral import (
    Compensatory,
    DivisorMethod,
    Threshold,
    TieBreak,
    load_law,
    make_method,
)

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
TARGET_MS = 10.0

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
    real_lines()


def read_votes(file_name: str, column: str = "votes") -> dict[str, int]:
    with (DATA / file_name).open(encoding="utf-8", newline="") as handle:
        return {row["name"]: int(row[column]) for row in csv.DictReader(handle)}


def timings(call: Callable[[], object], n_runs: int = 200) -> list[float]:
    """Milliseconds of each of `n_runs` calls (after one warm-up call)."""
    call()
    result = []
    for _ in range(n_runs):
        start = time.perf_counter()
        call()
        result.append(1_000 * (time.perf_counter() - start))
    return result


def real_parliaments() -> list[tuple[str, Callable[[], object]]]:
    """The real elections of tests/electoral, as (label, allocation) pairs."""
    kz2021 = {"Nur Otan": 5_148_074, "Ak Zhol": 792_828, "People's Party": 659_019}
    kz2021 |= {"Auyl": 383_023, "Adal": 258_618}
    kz2016 = {"Nur Otan": 6_183_757, "Ak Zhol": 540_406, "Communist People's Party": 537_123}
    kz2016 |= {"Auyl": 151_285, "OSDP": 88_813, "Birlik": 21_484}
    us = read_votes("us_house_2020.csv")
    nz = read_votes("nz_house_2014.csv")
    won = read_votes("nz_house_2014.csv", "district_seats")
    winners = [party for party, n in won.items() for _ in range(n)]
    electorates = {f"electorate {i}": {p: 1} for i, p in enumerate(winners, start=1)}
    nz_system = Compensatory(
        Threshold(
            DivisorMethod("sainte-lague", TieBreak(("lot",))),
            5,
            base="party_votes",
            or_district_seats=1,
        )
    )
    cz = read_votes("cz_ep_2019.csv")
    cz_system = Threshold(DivisorMethod("dhondt"), 5, base="party_votes")
    oslo = read_votes("no_storting-oslo_2021.csv")
    laws = {year: load_law(f"kz-mazhilis-{year}") for year in (2016, 2021, 2023)}
    return [
        ("KZ Mazhilis 2023, Hare 5 %, 69 seats x 7 lists", lambda: laws[2023].allocate(KZ2023)),
        ("KZ Mazhilis 2021, Hare 7 %, 98 seats x 5 lists", lambda: laws[2021].allocate(kz2021)),
        ("KZ Mazhilis 2016, Hare 7 %, 98 seats x 6 lists", lambda: laws[2016].allocate(kz2016)),
        (
            "US House 2020, Huntington-Hill, 435 seats x 50 states",
            lambda: DivisorMethod("huntington-hill").allocate(us, 435),
        ),
        (
            "NZ House 2014, Sainte-Laguë MMP, 120 seats x 15 parties + 71 electorates",
            lambda: nz_system.allocate(nz, 120, district_votes=electorates),
        ),
        (
            "CZ European Parliament 2019, D'Hondt 5 %, 21 seats x 39 lists",
            lambda: cz_system.allocate(cz, 21),
        ),
        (
            "NO Storting 2021 Oslo, modified Sainte-Laguë, 19 seats x 22 lists",
            lambda: DivisorMethod("modified-sainte-lague").allocate(oslo, 19),
        ),
    ]


def real_lines() -> None:
    medians: list[float] = []
    for label, call in real_parliaments():
        runs = timings(call)
        medians.append(statistics.median(runs))
        print(
            f"real: {label}: median {medians[-1]:.3f} ms over {len(runs)} runs "
            f"(slowest single run {max(runs):.3f} ms)"
        )
    worst = max(medians)
    verdict = "under" if worst < TARGET_MS else "NOT under"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"real parliaments, max over all medians: {worst:.3f} ms, {verdict} "
        f"{TARGET_MS:.0f} ms (load average {load:.1f} on {os.cpu_count()} CPUs; single "
        "runs include pauses caused by other processes)"
    )


if __name__ == "__main__":
    main()
