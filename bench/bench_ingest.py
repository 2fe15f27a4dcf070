"""Ingestion through the HTTP API with 32 concurrent clients, on SQLite and on PostgreSQL.

For each database: a fresh schema, the demo mission (kz2023.load()), four seeded election days
of reports from the simulator (6,094 checklists plus the simulator's 5 % replays: 6,396
reports), one API token per sending observer, statistics gathered (ANALYZE). The app server
runs as separate processes with persistent database connections (EOM_DB_CONN_MAX_AGE=600). 32 keep-alive HTTP clients (asyncio,
raw HTTP/1.1 with pre-built bodies, split over two processes) each send their observers' reports
in order, every request with its observer's token. Afterwards the rows are counted, and the same
Submission rows are inserted again through the driver (sqlite3 or psycopg, no Django) as the
floor. CPU is read from /proc: server, database, clients, and other processes on the machine.
Each configuration runs closed loop (each client sends its next request when the last is
answered: the most the server does) and, with batches, open loop (the reports offered at a fixed
pace, latency counted from when each request was due). Figures are printed one per line;
nothing is asserted about time. About 15 minutes.

    .venv/bin/python bench/bench_ingest.py

Environment: EOM_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/bench; its public
schema is dropped and created again; PostgreSQL is skipped when it does not answer),
EOM_BENCH_DATABASES ("sqlite postgresql"), EOM_BENCH_REPORTS (fewer reports), EOM_BENCH_DAYS
(seeded election days, "4"; 8 sends twice as many reports, for a longer run),
EOM_BENCH_SQLITE_SERVERS ("waitress:8"), EOM_BENCH_PG_SERVERS ("waitress:8 gunicorn:3x8
gunicorn:4"; gunicorn configurations are left out when gunicorn is not installed),
EOM_BENCH_BATCH (reports per request, "1 25 50": POST /api/submissions, POST
/api/submissions/batch), EOM_BENCH_OFFERED (reports per second offered, "0 1200 1400": 0 is
the closed loop). Each run also prints how long a fixed Python loop took before and after it:
the machine's speed at that moment, which on a shared host moves by a factor of two or more.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

from phases import PG_URL, each_database, fresh_django

CLIENTS = 32
CLIENT_PROCESSES = 2
SEEDS = range(1, 1 + int(os.environ.get("EOM_BENCH_DAYS", "4")))  # simulated election days
REPORTS = int(os.environ.get("EOM_BENCH_REPORTS", "0"))  # 0: every planned report
BIN = Path(sys.executable).parent
TICK = os.sysconf("SC_CLK_TCK")
NAMESPACE = uuid.UUID("1b0e6a55-93c2-4d6b-a3f4-5a0e8b7c2d11")
# Server configurations: waitress:THREADS (`eom serve`); gunicorn:WORKERS (sync workers: one
# request per connection, so requests spread evenly over the processes) or
# gunicorn:WORKERSxTHREADS (gthread workers, keep-alive).
SERVERS = {
    "sqlite": os.environ.get("EOM_BENCH_SQLITE_SERVERS", "waitress:8").split(),
    "postgresql": os.environ.get("EOM_BENCH_PG_SERVERS", "waitress:8 gunicorn:3x8 gunicorn:4").split(),
}
# Reports per request: 1 (POST /api/submissions) and batches (POST /api/submissions/batch).
BATCHES = [int(n) for n in os.environ.get("EOM_BENCH_BATCH", "1 25 50").split()]
# Closed loop (0: each client sends its next request when the last is answered) and open loop
# (reports per second offered, whatever the answers' pace).
OFFERED = [int(n) for n in os.environ.get("EOM_BENCH_OFFERED", "0 1200 1400").split()]
RATES: list[tuple[str, float]] = []  # (server configuration, submissions/s) of this database


# --- the clients (no Django here: they run in forked processes) -----------------------------


async def _connection(port: int, queue: list, out: list, start: float = 0.0) -> None:
    """Each request carries one report, or several (POST /api/submissions/batch): one result
    per report (its key, its status, the request's latency). A request with a due time (seconds
    after `start`, open loop) waits for it, and its latency counts from then: a late server
    delays the requests behind it, and their latency shows it."""
    reader = writer = None
    for keys, raw, *due in queue:
        started = time.monotonic()
        if due:
            started = start + due[0]
            if started > time.monotonic():
                await asyncio.sleep(started - time.monotonic())
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status, length, close = int(head[9:12]), 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection":
                    close = value.strip().lower() == b"close"
            body = await reader.readexactly(length)
            statuses = [status] * len(keys)
            if len(keys) > 1 and status == 200:
                statuses = [item["status"] for item in json.loads(body)["results"]]
        except (OSError, asyncio.IncompleteReadError) as error:
            statuses, close = [f"failed: {error.__class__.__name__}"] * len(keys), True
        latency = time.monotonic() - started
        out.extend((key, status, latency) for key, status in zip(keys, statuses, strict=True))
        out.append((None, "request", latency))
        if close and writer is not None:
            writer.close()
            writer = None
    if writer is not None:
        writer.close()


def _client_process(port, queues, go, pipe) -> None:
    out: list = []

    async def run() -> None:
        start = time.monotonic()
        await asyncio.gather(*(_connection(port, queue, out, start) for queue in queues))

    go.wait()
    cpu = sum(os.times()[:2])
    asyncio.run(run())
    pipe.send((out, sum(os.times()[:2]) - cpu, time.monotonic()))
    pipe.close()


def _cpu_seconds(pids: set[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def _processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command name) of every process."""
    rows = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            name = text[text.index("(") + 1: text.rindex(")")]
            rows.append((int(entry.name), int(text.rsplit(")", 1)[1].split()[1]), name))
    return rows


def _tree(root: int) -> set[int]:
    rows = _processes()
    pids, grown = {root}, True
    while grown:
        grown = False
        for pid, parent, _name in rows:
            if parent in pids and pid not in pids:
                pids.add(pid)
                grown = True
    return pids


def _pg_backends() -> set[int]:
    """The server's own processes and the backends of the bench's database (not those of any
    other database on the same server)."""
    import psycopg

    with psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), autocommit=True) as db:
        rows = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND "
            "(datname = current_database() OR backend_type <> 'client backend')"
        ).fetchall()
    return {pid for (pid,) in rows}


def machine_speed() -> float:
    """Seconds a fixed pure-Python loop (10 million additions) takes now: the machine's speed at
    that moment. On a shared host it moves (0.9-1.8 s has been seen on the same machine within
    an hour), and every figure here moves with it; it is printed beside each run."""
    started, total = time.perf_counter(), 0
    for step in range(10_000_000):
        total += step
    return time.perf_counter() - started


def _machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / TICK, sum(values) / TICK


def drive(port: int, queues: list[list[tuple[str, bytes]]], server_pid: int,
          vendor: str) -> dict:
    """Send every queue on its own connection; returns statuses, latencies and CPU shares
    (SQLite works inside the server: its CPU is the server's)."""
    context = multiprocessing.get_context("fork")
    go = context.Event()
    workers = []
    for index in range(CLIENT_PROCESSES):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=_client_process, args=(port, queues[index::CLIENT_PROCESSES], go, send)
        )
        process.start()
        workers.append((process, receive))
    server_tree = _tree(server_pid)
    database = _pg_backends() if vendor == "postgresql" else set()
    before = (_cpu_seconds(server_tree), _cpu_seconds(database), _machine_busy())
    started = time.monotonic()
    go.set()
    results, client_cpu, ended = [], 0.0, started
    for process, receive in workers:
        out, cpu, finished = receive.recv()
        process.join()
        results += out
        client_cpu += cpu
        ended = max(ended, finished)
    elapsed = ended - started
    if vendor == "postgresql":
        database |= _pg_backends()
    server_cpu = _cpu_seconds(_tree(server_pid)) - before[0]
    database_cpu = _cpu_seconds(database) - before[1]
    busy, total = (a - b for a, b in zip(_machine_busy(), before[2], strict=True))
    return {
        "results": results, "elapsed": elapsed, "cores": os.cpu_count(),
        "cpu": {"server": server_cpu, "database": database_cpu, "clients": client_cpu,
                "other": max(busy - server_cpu - database_cpu - client_cpu, 0.0),
                "idle": max(total - busy, 0.0)},
    }


# --- the servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(config: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    kind, _, size = config.partition(":")
    if kind == "waitress":
        command = [str(BIN / "eom"), "serve", "--port", str(port), "--threads", size]
    else:  # gunicorn:WORKERS (sync workers) or gunicorn:WORKERSxTHREADS (gthread workers)
        workers, _, threads = size.partition("x")
        command = [str(BIN / "gunicorn"), "eom.wsgi:application", "--bind", f"127.0.0.1:{port}",
                   "--workers", workers, "--backlog", "256", "--log-level", "warning"]
        command += ["--worker-class", "gthread", "--threads", threads] if threads else [
            "--worker-class", "sync"]
    server = subprocess.Popen(command, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"{config} did not start; see {log}")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- one database ---------------------------------------------------------------------------


def phase(vendor: str, data_dir: str) -> None:
    """Runs in its own process: Django is set up for one database."""
    fresh_django(vendor, data_dir)
    from django.core.management import call_command
    from django.db import connections

    from eom.demo import kz2023, simulator
    from eom.missions.services import current_mission
    from eom.observation.models import Submission

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    kz2023.load()
    mission = current_mission()
    plans = [simulator.plan_day(mission, teams=None, seed=seed) for seed in SEEDS]
    reports = [report for plan in plans for report in plan.sending_order]
    if REPORTS:
        reports = reports[:REPORTS]
    tokens = simulator.observer_tokens(mission, {r.observer for r in reports}, seed=0)
    with connections["default"].cursor() as cursor:  # statistics, as a live database has them
        cursor.execute("ANALYZE")
    print(f"{vendor}: set-up (migrate, demo mission, {len(reports):,} planned reports) "
          f"{time.perf_counter() - started:.1f} s", flush=True)

    env = dict(os.environ, EOM_DB_CONN_MAX_AGE="600", EOM_LOG_LEVEL="ERROR")
    configs = SERVERS[vendor]
    if not shutil.which("gunicorn", path=str(BIN)):
        configs = [config for config in configs if not config.startswith("gunicorn")]
    connections.close_all()
    # The open loop only with batches: one report per request cannot be offered at that pace.
    runs = [(config, size, rate) for size in BATCHES for rate in OFFERED for config in configs
            if size > 1 or not rate]
    for run, (config, size, rate) in enumerate(runs):
        port = free_port()
        queues, sent = _queues(reports, tokens, port, run, size, rate)
        server = start_server(config, port, env, Path(data_dir) / f"{vendor}-{run}.log")
        try:
            _warm_up(port, tokens, reports)
            speed = machine_speed()
            outcome = drive(port, queues, server.pid, vendor)
            outcome["speed"] = (speed, machine_speed())
        finally:
            stop_server(server)
        stored = set(
            Submission.objects.filter(uuid__in=list(sent)).values_list("uuid", flat=True)
        )
        connections.close_all()
        label = config if size == 1 else f"{config}, batches of {size}"
        label += f", offered {rate:,} reports/s" if rate else ""
        _print_run(vendor, label, outcome, sent, {key.hex for key in stored})

    n_rows = len(reports)
    floors = {
        "1 row per transaction, 1 connection": _raw_inserts(
            vendor, data_dir, min(n_rows, 2000), batch=1),
        f"1 row per transaction, {CLIENTS} connections": _raw_inserts(
            vendor, data_dir, n_rows, batch=1, writers=CLIENTS),
        "500 rows per transaction, 1 connection": _raw_inserts(
            vendor, data_dir, n_rows, batch=500),
    }
    for name, rate in floors.items():
        print(f"{vendor}: raw INSERT of the same submission rows, {name}: {rate:,.0f} rows/s")
    floor = f"1 row per transaction, {CLIENTS} connections"
    for config, rate in RATES:
        print(f"{vendor}: {config}: ingestion / raw INSERT ({floor}, the floor) = "
              f"{rate / floors[floor]:.2f}; / (500 rows per transaction) = "
              f"{rate / floors['500 rows per transaction, 1 connection']:.3f}")


def _queues(reports, tokens, port, run, batch, rate=0):
    """Each observer's reports, in order, on one connection; observers balanced over the 32;
    `batch` > 1 sends an observer's reports that many at a time (POST /api/submissions/batch).
    `rate` > 0 (open loop): the requests are due at evenly spaced times that offer `rate`
    reports per second in all, taken in turn from the 32 connections. Run n > 0 sends the same
    reports under new UUIDs."""
    by_observer: dict[str, list[tuple[str, dict]]] = {}
    sent = set()
    for report in reports:
        key = report.key if run == 0 else uuid.uuid5(NAMESPACE, f"{run}:{report.key}")
        item = {
            "uuid": str(key), "form_id": report.form_id, "location": report.location,
            "observed_at": report.observed_at.isoformat(), "answers": report.answers,
        }
        by_observer.setdefault(report.observer, []).append((key.hex, item))
        sent.add(key.hex)
    requests: dict[str, list[tuple[tuple[str, ...], bytes]]] = {}
    for observer, items in by_observer.items():
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
            if batch == 1:
                path, body = "/api/submissions", json.dumps(chunk[0][1]).encode()
            else:
                path = "/api/submissions/batch"
                body = json.dumps({"submissions": [item for _key, item in chunk]}).encode()
            head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                    f"Authorization: Bearer {tokens[observer]}\r\n"
                    f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
            requests.setdefault(observer, []).append(
                (tuple(key for key, _item in chunk), head.encode() + body))
    queues: list[list[tuple[tuple[str, ...], bytes]]] = [[] for _ in range(CLIENTS)]
    for queue in sorted(requests.values(), key=len, reverse=True):
        min(queues, key=len).extend(queue)
    if rate:
        # Requests in turn from the connections, each due when the reports before it, at
        # `rate` a second, have been offered (an observer's last batch may be smaller).
        order = sorted(((j, c) for c, queue in enumerate(queues) for j in range(len(queue))))
        due, offered = {}, 0
        for j, c in order:
            due[j, c] = offered / rate
            offered += len(queues[c][j][0])
        queues = [[(*request, due[j, c]) for j, request in enumerate(queue)]
                  for c, queue in enumerate(queues)]
    return queues, sent


def _warm_up(port: int, tokens: dict[str, str], reports) -> None:
    """Requests on every connection first, so that the server's threads have imported, connected
    and read the form definitions: reads, then batches of the real reports with their answers
    left out, which the server checks in full and refuses (nothing is stored)."""
    token = next(iter(tokens.values()))
    read = (f"GET /api/forms HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\n\r\n").encode()
    observer = reports[0].observer
    body = json.dumps({"submissions": [
        {"uuid": str(uuid.uuid4()), "form_id": r.form_id, "location": r.location,
         "observed_at": r.observed_at.isoformat(), "answers": {}}
        for r in reports if r.observer == observer
    ]}).encode()
    refused = (f"POST /api/submissions/batch HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Authorization: Bearer {tokens[observer]}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
               ).encode() + body
    out: list = []

    async def run() -> None:
        await asyncio.gather(*(_connection(port, [(("",), read)] * 2 + [(("",), refused)] * 4, out)
                             for _ in range(CLIENTS)))

    asyncio.run(run())


def _print_run(vendor, config, outcome, sent, stored) -> None:
    requests = [latency for key, _status, latency in outcome["results"] if key is None]
    results = [row for row in outcome["results"] if row[0] is not None]
    statuses = Counter(status for _key, status, _latency in results)
    answered = {key for key, status, _latency in results if status in (200, 201)}
    latencies = sorted(requests)
    elapsed = outcome["elapsed"]
    label = f"{vendor}: {config}"
    rate = statuses[201] / elapsed
    RATES.append((config, rate))
    print(f"{label}: {rate:,.0f} submissions/s stored ({len(requests) / elapsed:,.0f} "
          f"requests/s, {len(requests):,} requests in {elapsed:.1f} s)")
    print(f"{label}: request latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms, "
          f"max {latencies[-1] * 1000:.0f} ms")
    print(f"{label}: sent {len(results):,} reports, {len(sent):,} distinct UUIDs; "
          f"201 {statuses[201]:,}, 200 (replays) {statuses[200]:,}; stored {len(stored):,}; "
          f"lost (answered 2xx, not stored) {len(answered - stored):,}; "
          f"not stored at all {len(sent - stored):,}")
    refused = {status: n for status, n in statuses.items() if status not in (200, 201)}
    print(f"{label}: refused (non-2xx) {sum(refused.values()):,} {dict(refused) or ''}".rstrip())
    print(f"{label}: machine speed: the 10-million-step loop took "
          f"{outcome['speed'][0]:.2f} s before the run, {outcome['speed'][1]:.2f} s after")
    cpu = outcome["cpu"]
    capacity = elapsed * outcome["cores"]
    print(f"{label}: CPU of {outcome['cores']} cores: " + ", ".join(
        f"{name} {seconds / capacity:.0%}" for name, seconds in cpu.items())
        + " (other: processes outside the bench)")
    print(f"{label}: CPU per report: server {cpu['server'] / len(results) * 1000:.2f} ms, "
          f"database {cpu['database'] / len(results) * 1000:.2f} ms, "
          f"clients {cpu['clients'] / len(results) * 1000:.2f} ms")


# --- the floor: the same rows through the driver ---------------------------------------------

COLUMNS = ("mission_id", "form_id", "form_version_id", "observer_id", "team_id", "location_id",
           "observed_at", "received_at", "updated_at", "channel", "answers", "n_flags",
           "deleted_at", "deleted_by_id", "delete_reason", "choice_codes")


def _driver(vendor: str, data_dir: str):
    """A connection straight through the driver (no Django), in autocommit mode, and the
    placeholders and select list for the submission's columns."""
    columns = ("uuid", *COLUMNS)
    if vendor == "postgresql":
        import psycopg

        db = psycopg.connect(PG_URL.replace("postgres://", "postgresql://"), autocommit=True)
        marks = ", ".join("%s::jsonb" if c == "answers" else "%s" for c in columns)
        return db, marks, ", ".join("answers::text" if c == "answers" else c for c in COLUMNS)
    import sqlite3

    db = sqlite3.connect(Path(data_dir) / "eom.sqlite3", isolation_level=None, timeout=20,
                         check_same_thread=False)
    db.execute("PRAGMA synchronous=NORMAL")  # as the app's connections
    return db, ", ".join("?" for _ in columns), ", ".join(COLUMNS)


def _raw_inserts(vendor: str, data_dir: str, n_rows: int, batch: int, writers: int = 1) -> float:
    """Rows per second: the first stored submissions inserted again under new UUIDs through the
    driver, `batch` rows per transaction, by `writers` connections at once (threads)."""
    db, marks, select = _driver(vendor, data_dir)
    cursor = db.cursor()
    cursor.execute(f"SELECT {select} FROM observation_submission ORDER BY id LIMIT {n_rows}")
    rows = cursor.fetchall()
    db.close()
    sql = f"INSERT INTO observation_submission (uuid, {', '.join(COLUMNS)}) VALUES ({marks})"
    as_key = (lambda key: key) if vendor == "postgresql" else (lambda key: key.hex)

    def write(share: list[tuple]) -> None:
        db, _marks, _select = _driver(vendor, data_dir)
        cursor = db.cursor()
        for start in range(0, len(share), batch):
            chunk = [(as_key(uuid.uuid4()), *row) for row in share[start:start + batch]]
            cursor.execute("BEGIN IMMEDIATE" if vendor == "sqlite" else "BEGIN")
            if batch == 1:
                cursor.execute(sql, chunk[0])
            else:
                cursor.executemany(sql, chunk)
            cursor.execute("COMMIT")
        db.close()

    failures: list[BaseException] = []

    def guarded(share: list[tuple]) -> None:
        try:
            write(share)
        except BaseException as error:  # re-raised below: a floor that failed is no floor
            failures.append(error)

    threads = [threading.Thread(target=guarded, args=(rows[i::writers],))
               for i in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return len(rows) / (time.perf_counter() - started)


# --- the whole bench ------------------------------------------------------------------------


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--phase":
        return each_database(__file__, "ingest", phase)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; {CLIENTS} clients (asyncio, raw HTTP/1.1 "
          f"keep-alive, {CLIENT_PROCESSES} processes)", flush=True)
    return each_database(__file__, "ingest", phase)


if __name__ == "__main__":
    sys.exit(main())
