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
EOM_BENCH_SQLITE_SERVERS ("waitress:8"), EOM_BENCH_PG_SERVERS ("gunicorn:4 gunicorn:3x8", for
batches; gunicorn configurations are left out when gunicorn is not installed),
EOM_BENCH_SQLITE_SINGLE_SERVERS ("waitress:8") and EOM_BENCH_PG_SINGLE_SERVERS ("gunicorn:4
gunicorn:6", for one report per request: the JSON API, ODK Collect and SMS), EOM_BENCH_BATCH (reports per
request to POST /api/submissions/batch, "25 50"), EOM_BENCH_OFFERED (reports per second
offered to the batches, "0 1200 1400": 0 is the closed loop), EOM_BENCH_ODK_REPORTS (reports
sent through ODK Collect, "100": each request checks the observer's password, a deliberately
slow hash), EOM_BENCH_SMS_REPORTS (through SMS, "0": all).

EOM_BENCH_ONLY selects the configurations, comma-separated (default: all):
  single  one report per request, POST /api/submissions (JSON, bearer token);
  batch   POST /api/submissions/batch, closed and open loop;
  odk     one report per request as ODK Collect sends it: POST /openrosa/submission, multipart
          (`xml_submission_file`, the instance of the form's XForm), HTTP Basic credentials;
  sms     one report per request as an SMS gateway forwards it: POST /sms/inbound/, JSON
          (sender, text, time, id) with the X-EOM-Secret header; the text in the SMS syntax.
e.g. EOM_BENCH_ONLY=single,odk,sms EOM_BENCH_DATABASES=postgresql EOM_BENCH_DAYS=1 for a quick
run. ODK Collect and SMS run on the first single-report server configuration only.

Each run prints how long a fixed Python loop took before and after it (the machine's speed at
that moment, which on a shared host moves by a factor of two or more), and at the end a summary
per configuration: stored/s, p50 and p99 latency, the ratio to the raw-insert floor of the same
run, and the app server's (gunicorn's workers, from /proc) and the database's CPU per report.
"""

from __future__ import annotations

import asyncio
import base64
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
    "postgresql": os.environ.get("EOM_BENCH_PG_SERVERS", "gunicorn:4 gunicorn:3x8").split(),
}
# One report per request (the JSON API, ODK Collect, SMS): sync workers, each taking the next
# request when free.
SINGLE_SERVERS = {
    "sqlite": os.environ.get("EOM_BENCH_SQLITE_SINGLE_SERVERS", "waitress:8").split(),
    "postgresql": os.environ.get("EOM_BENCH_PG_SINGLE_SERVERS", "gunicorn:4 gunicorn:6").split(),
}
# Reports per request to POST /api/submissions/batch (1: sent to POST /api/submissions).
BATCHES = [int(n) for n in os.environ.get("EOM_BENCH_BATCH", "25 50").split()]
ONLY = {name.strip() for name in os.environ.get(
    "EOM_BENCH_ONLY", "single,batch,odk,sms").replace(" ", ",").split(",") if name.strip()}
ODK_REPORTS = int(os.environ.get("EOM_BENCH_ODK_REPORTS", "100"))
SMS_REPORTS = int(os.environ.get("EOM_BENCH_SMS_REPORTS", "0"))
PASSWORD = "bench-password-" + uuid.uuid4().hex[:12]  # the observers' logins, for ODK Collect
SMS_SECRET = "bench-sms-" + uuid.uuid4().hex[:12]
# Closed loop (0: each client sends its next request when the last is answered) and open loop
# (reports per second offered, whatever the answers' pace).
OFFERED = [int(n) for n in os.environ.get("EOM_BENCH_OFFERED", "0 1200 1400").split()]
RATES: list[dict] = []  # the figures of each configuration run on this database


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
            elif raw.startswith(b"POST /openrosa/"):  # 201 stored now, 202 stored before
                statuses = [200 if status == 202 else status]
            elif raw.startswith(b"POST /sms/") and status == 200:  # the message's status
                told = json.loads(body)["status"]
                statuses = [{"accepted": 201, "duplicate": 200}.get(told, f"sms {told}")]
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

    env = dict(os.environ, EOM_DB_CONN_MAX_AGE="600", EOM_LOG_LEVEL="ERROR",
               EOM_SMS_SECRET=SMS_SECRET)
    have_gunicorn = shutil.which("gunicorn", path=str(BIN)) is not None
    single, batched = ([config for config in configs if have_gunicorn
                        or not config.startswith("gunicorn")]
                       for configs in (SINGLE_SERVERS[vendor], SERVERS[vendor]))
    # The open loop only with batches: one report per request cannot be offered at that pace.
    runs = [(config, 1, 0, "api") for config in single if "single" in ONLY]
    runs += [(single[0], 1, 0, channel) for channel in ("odk", "sms")
             if channel in ONLY and single]
    runs += [(config, size, rate, "api") for size in BATCHES for rate in OFFERED
             for config in batched if "batch" in ONLY and (size > 1 or not rate)]
    channels = _channels(mission, reports, {channel for *_rest, channel in runs})
    connections.close_all()
    for run, (config, size, rate, channel) in enumerate(runs):
        port = free_port()
        chosen = reports
        if channel in ("odk", "sms"):
            limit = ODK_REPORTS if channel == "odk" else SMS_REPORTS
            chosen = reports[:limit] if limit else reports
        queues, sent = _queues(chosen, tokens, port, run, size, rate, channel, channels)
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
        label += {"odk": ", ODK Collect (multipart)", "sms": ", SMS webhook"}.get(channel, "")
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
    for figures in RATES:
        print(f"{vendor}: {figures['label']}: ingestion / raw INSERT ({floor}, the floor) = "
              f"{figures['rate'] / floors[floor]:.2f}; / (500 rows per transaction) = "
              f"{figures['rate'] / floors['500 rows per transaction, 1 connection']:.3f}")
    print(f"{vendor}: summary (the floor: {floors[floor]:,.0f} rows/s)")
    for figures in RATES:
        print(f"{vendor}:   {figures['label']}: {figures['rate']:,.0f} stored/s, "
              f"p50 {figures['p50'] * 1000:.0f} ms, p99 {figures['p99'] * 1000:.0f} ms, "
              f"{figures['rate'] / floors[floor]:.2f} of the floor; CPU per report: app "
              f"{figures['app']:.2f} ms, database {figures['database']:.2f} ms")


def _channels(mission, reports, wanted: set[str]) -> dict:
    """What ODK Collect and SMS need: for ODK, the observers' logins (a password set) and each
    form's XForm instance template; for SMS, a phone number per observer and the SMS forms."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from eom.observation.channels.openrosa import xform_of
    from eom.observation.channels.sms import mission_forms
    from eom.observation.models import Form

    observers = sorted({report.observer for report in reports})
    people = mission.people.filter(code__in=observers)
    out: dict = {}
    if "odk" in wanted:
        users = get_user_model().objects.filter(person__in=people)
        users.update(password=make_password(PASSWORD))  # hashed once: the same for each
        out["odk"] = {
            "users": dict(people.values_list("code", "user__username")),
            "templates": {form.form_id: xform_of(form.current_version)[0] for form in
                          Form.objects.filter(mission=mission, current_version__isnull=False)
                          .select_related("current_version")},
        }
    if "sms" in wanted:
        phones = {code: f"+7700{index:07d}" for index, code in enumerate(observers)}
        for person in people:
            person.phone = phones[person.code]
            person.save(update_fields=["phone"])
        out["sms"] = {"phones": phones, "forms": {
            form.form_id: form for form in mission_forms(mission).values()}}
    return out


def _odk_instance(template: bytes, report, key: uuid.UUID) -> bytes:
    """The instance ODK Collect writes for the report: the XForm's primary instance with the
    answers in its leaves (a select_multiple's choices separated by spaces), the station, the
    time the form was opened and the instance ID."""
    import copy
    import xml.etree.ElementTree as ET

    xforms = "{http://www.w3.org/2002/xforms}"
    model = ET.fromstring(template).find(f".//{xforms}model")
    primary = next(i for i in model.findall(f"{xforms}instance") if i.get("id") is None)
    root = copy.deepcopy(next(iter(primary)))
    values = {name: " ".join(map(str, value)) if isinstance(value, list) else str(value)
              for name, value in report.answers.items() if value is not None}
    values.update(eom_location=report.location, eom_start=report.observed_at.isoformat())
    for element in root.iter():
        element.tag = element.tag.rsplit("}", 1)[-1]
        if len(element) == 0 and element.tag in values:
            element.text = values[element.tag]
        elif element.tag == "instanceID":
            element.text = f"uuid:{key}"
    return b"<?xml version='1.0' encoding='UTF-8' ?>" + ET.tostring(root, encoding="utf-8")


def _sms_text(form, report) -> str:
    from eom.xlsform.sms_syntax import ParsedSms, format_sms

    names = {question.name for question in form.questions}
    answers = {name: value for name, value in report.answers.items()
               if name in names and value not in (None, "", [])}
    return format_sms(ParsedSms(form=form, observer=report.observer, station=report.location,
                                answers=answers))


def _request(port, channel, channels, report, key, resend, run, token) -> tuple[str, bytes]:
    """(the key the report is stored under, the HTTP request) of one report sent alone, for
    the `resend`-th time (0: the first)."""
    if channel == "odk":
        odk = channels["odk"]
        boundary = f"eom-bench-{key.hex}"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"xml_submission_file\"; "
                f"filename=\"submission.xml\"\r\nContent-Type: text/xml\r\n\r\n").encode()
        body += _odk_instance(odk["templates"][report.form_id], report, key)
        body += f"\r\n--{boundary}--\r\n".encode()
        credentials = base64.b64encode(
            f"{odk['users'][report.observer]}:{PASSWORD}".encode()).decode()
        head = (f"POST /openrosa/submission?deviceID=collect%3Abench HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{port}\r\nAuthorization: Basic {credentials}\r\n"
                f"X-OpenRosa-Version: 1.0\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        return key.hex, head.encode() + body
    if channel == "sms":
        from eom.observation.channels.sms import UUID_NAMESPACE

        sms = channels["sms"]
        # A phone sending a report again: the gateway gives it a new id, the text is the same.
        gateway_id = f"bench-{run}-{key}" + (f"-{resend}" if resend else "")
        stored = uuid.uuid5(UUID_NAMESPACE, f"sms:bench-{run}-{key}")
        body = json.dumps({"sender": sms["phones"][report.observer],
                           "text": _sms_text(sms["forms"][report.form_id], report),
                           "time": report.observed_at.isoformat(), "id": gateway_id}).encode()
        head = (f"POST /sms/inbound/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"X-EOM-Secret: {SMS_SECRET}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n")
        return stored.hex, head.encode() + body
    body = json.dumps({
        "uuid": str(key), "form_id": report.form_id, "location": report.location,
        "observed_at": report.observed_at.isoformat(), "answers": report.answers}).encode()
    head = (f"POST /api/submissions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Authorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return key.hex, head.encode() + body


def _queues(reports, tokens, port, run, batch, rate=0, channel="api", channels=None):
    """Each observer's reports, in order, on one connection; observers balanced over the 32;
    `batch` > 1 sends an observer's reports that many at a time (POST /api/submissions/batch).
    `rate` > 0 (open loop): the requests are due at evenly spaced times that offer `rate`
    reports per second in all, taken in turn from the 32 connections. Run n > 0 sends the same
    reports under new UUIDs."""
    by_observer: dict[str, list[tuple[str, dict]]] = {}
    sent = set()
    requests: dict[str, list[tuple[tuple[str, ...], bytes]]] = {}
    sends: dict[uuid.UUID, int] = {}  # how often each report was sent before
    for report in reports:
        key = report.key if run == 0 else uuid.uuid5(NAMESPACE, f"{run}:{report.key}")
        if batch == 1:  # one report per request: the JSON API, ODK Collect or SMS
            resend = sends[key] = sends.get(key, -1) + 1
            stored_as, raw = _request(port, channel, channels, report, key, resend, run,
                                      tokens[report.observer])
            requests.setdefault(report.observer, []).append(((stored_as,), raw))
            sent.add(stored_as)
            continue
        item = {
            "uuid": str(key), "form_id": report.form_id, "location": report.location,
            "observed_at": report.observed_at.isoformat(), "answers": report.answers,
        }
        by_observer.setdefault(report.observer, []).append((key.hex, item))
        sent.add(key.hex)
    for observer, items in by_observer.items():
        for start in range(0, len(items), batch):
            chunk = items[start:start + batch]
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
    cpu = outcome["cpu"]
    RATES.append({"label": config, "rate": rate, "p50": statistics.median(latencies),
                  "p99": latencies[int(len(latencies) * 0.99)],
                  "app": cpu["server"] / len(results) * 1000,
                  "database": cpu["database"] / len(results) * 1000})
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
