"""Memory of the imports on hostile and large files: one line per file, no asserts
(run: python bench/bench_import_memory.py [words of the case names to run]).

Each case runs in its own child process on a fresh SQLite database and prints the process's peak
resident memory above what it held before the case (resource.getrusage ru_maxrss), the time,
and what eom answered (refused, with the message, or imported). The files:

- XLSX "zip bombs": a workbook whose one sheet inflates ~1,000 times (a single cell of "A"s, or
  millions of one-cell rows), 200 KB, 1 MB and 3 MB on disk, imported as locations, uploaded as
  an XLSForm through the forms page and as official results through the results import page;
- a zipped CSV of official results that inflates ~1,000 times (`eom results import`);
- a 50 MB CSV of 350,000 locations (Cyrillic names) imported into an empty mission.

A child is stopped at 6 GB of address space or after 300 s (then the line says so). The code
measured is this checkout's; set EOM_BENCH_SRC to another checkout's src to measure that one.
"""

from __future__ import annotations

import io
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# This checkout's code (not an installed eom), or the code at EOM_BENCH_SRC.
sys.path.insert(0, os.environ.get("EOM_BENCH_SRC") or str(Path(__file__).resolve().parents[1]
                                                           / "src"))

LIMIT_AS = 6 * 2**30
TIMEOUT = 300
DEFLATE_RATIO = 1030  # what zlib reaches on a run of one byte


def _workbook_members() -> dict[str, bytes]:
    import openpyxl

    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.title = "survey"
    book.active.append(["code"])
    book.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def xlsx_bomb(path: Path, size: int, kind: str = "cell") -> Path:
    """A valid workbook of about `size` bytes whose first sheet inflates ~1,000 times."""
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in _workbook_members().items():
            if name != sheet:
                archive.writestr(name, data)
        with archive.open(sheet, "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main"><sheetData>')
            if kind == "cell":
                out.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
                unit = b"A" * 2**20
                tail = b"</t></is></c></row>"
            else:
                unit = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
                tail = b""
                size //= 3  # rows compress about three times less than one run of "A"
            for _ in range(max(1, size * DEFLATE_RATIO // len(unit))):
                out.write(unit)
            out.write(tail + b"</sheetData></worksheet>")
    return path


def csv_zip_bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("results.csv", "w", force_zip64=True) as out:
            out.write(b"location_code,n_registered,AMANAT\n")
            unit = b"0" * 2**20
            for _ in range(size * DEFLATE_RATIO // len(unit)):
                out.write(unit)
    return path


def locations_csv(path: Path, size: int) -> Path:
    """KZ, regions of 10 districts of 100 stations, until the file holds `size` bytes."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("code,level,parent_code,name_en,name_ru,name_kk,registered_voters,kind,"
                  "address\nKZ,country,,Kazakhstan,Казахстан,Қазақстан,,,\n")
        n = region = 0
        while out.tell() < size:
            region += 1
            out.write(f"R{region:02d},region,KZ,Region {region},Область {region},"
                      f"Облыс {region},,,\n")
            for d in range(1, 11):
                district = f"R{region:02d}D{d:02d}"
                out.write(f"{district},district,R{region:02d},District {d},Округ {d},"
                          f"Округ {d},,,\n")
                for _ in range(100):
                    n += 1
                    out.write(f"{n:06d},polling_station,{district},Polling station {n},"
                              f"Участок {n},Учаске {n},{800 + n % 1500},school,"
                              f"\"ул. Абая {n}, школа № {n % 300}\"\n")
    return path


CASES = {
    # name: (file, how it comes in)
    "xlsx bomb 1 MB, location import": ("bomb-1mb.xlsx", "locations"),
    "xlsx bomb 3 MB (rows), location import": ("bomb-3mb-rows.xlsx", "locations"),
    "xlsx bomb 200 KB, XLSForm upload page": ("bomb-200kb.xlsx", "form page"),
    "xlsx bomb 200 KB, results import page": ("bomb-200kb.xlsx", "results page"),
    "csv zip bomb 1 MB, results import": ("bomb-1mb-csv.zip", "results"),
    "csv 50 MB, location import": ("locations-50mb.csv", "locations"),
}


def make_files(folder: Path) -> None:
    xlsx_bomb(folder / "bomb-1mb.xlsx", 2**20)
    xlsx_bomb(folder / "bomb-3mb-rows.xlsx", 3 * 2**20, kind="rows")
    xlsx_bomb(folder / "bomb-200kb.xlsx", 200 * 2**10)
    csv_zip_bomb(folder / "bomb-1mb-csv.zip", 2**20)
    locations_csv(folder / "locations-50mb.csv", 50 * 2**20)


def _django(data_dir: Path) -> None:
    os.environ["EOM_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "eom.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def prepare(data_dir: Path) -> None:
    """Migrate an empty database and add a mission, an administrator and a contest."""
    _django(data_dir)
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from eom.missions.models import Access, Contest, ContestKind, Election, Mission, Person
    from eom.missions.roles import ensure_roles

    call_command("migrate", interactive=False, verbosity=0)
    mission = Mission.objects.create(code="bench", name="Bench mission", country="KZ",
                                     deployment_start=dt.date(2023, 2, 7),
                                     deployment_end=dt.date(2023, 3, 29))
    election = Election.objects.create(mission=mission, name="Mazhilis", date=dt.date(2023, 3, 19))
    Contest.objects.create(election=election, kind=ContestKind.PARTY_LIST, name="Party lists",
                           seats=69)
    user = get_user_model().objects.create_user("admin", password="bench-password")
    Person.objects.create(mission=mission, code="A1", full_name="Administrator", user=user,
                          role=ensure_roles()["operations_officer"], access=Access.ADMINISTRATOR)


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_case(name: str, folder: Path, data_dir: Path) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))
    _django(data_dir)
    from django.test import Client

    from eom.missions.models import Contest, Mission

    file_name, way = CASES[name]
    path = folder / file_name
    mission = Mission.objects.get()
    contest = Contest.objects.get()
    client = Client()
    client.login(username="admin", password="bench-password")
    client.get("/")  # load the pages' code before measuring
    before = _rss()
    started = time.perf_counter()
    try:
        outcome = _import(way, path, mission, contest, client)
    except MemoryError:
        outcome = f"ran out of memory ({LIMIT_AS // 2**30} GB of address space)"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    size = path.stat().st_size
    print(f"{name:<42} {size / 2**20:6.1f} MB file  peak +{(peak - before) / 2**20:7,.0f} MB  "
          f"{seconds:6.1f} s  {outcome[:300]}", flush=True)


def _import(way: str, path: Path, mission, contest, client) -> str:
    from eom.missions.importers import import_locations
    from eom.results.importers import import_official_results

    if way == "locations":
        report = import_locations(mission, path, actor=None)
        outcome = (f"imported {report.n_created:,} locations" if report.ok
                   else f"refused: {report.errors[0]}")
    elif way == "results":
        report = import_official_results(contest, path, actor=None, dry_run=True)
        outcome = "read" if report.ok else f"refused: {report.errors[0]}"
    else:
        with path.open("rb") as handle:
            if way == "form page":
                answer = client.post("/forms/", {"workbook": handle})
            else:
                answer = client.post("/results/import/", {
                    "contest": contest.pk, "file": handle, "preset": "demo", "dry_run": "on"})
        outcome = f"HTTP {answer.status_code}"
        text = answer.content.decode(errors="replace")
        for marker in ("limit", "is not", "cannot"):
            at = text.find(marker)
            if at != -1:
                outcome += ": …" + " ".join(text[max(0, at - 120):at + 60].split()) + "…"
                break
    return outcome


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--case":
        run_case(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        prepare(Path(sys.argv[2]))
        return 0
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; child limits {LIMIT_AS // 2**30} GB, {TIMEOUT} s")
    wanted = [name for name in CASES if all(word in name for word in sys.argv[1:])]
    folder = Path(tempfile.mkdtemp(prefix="eom-bench-import-memory-"))
    try:
        make_files(folder)
        template = folder / "template"
        subprocess.run([sys.executable, __file__, "--prepare", str(template)], check=True)
        for name in wanted:
            data_dir = folder / "db"
            shutil.rmtree(data_dir, ignore_errors=True)
            shutil.copytree(template, data_dir)
            try:
                done = subprocess.run([sys.executable, __file__, "--case", name, str(folder),
                                       str(data_dir)], timeout=TIMEOUT, capture_output=True,
                                      text=True)
            except subprocess.TimeoutExpired:
                print(f"{name:<42} did not finish in {TIMEOUT} s", flush=True)
                continue
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                print(f"{name:<42} failed: {last[:200]}", flush=True)
            else:
                print(done.stdout.strip(), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
