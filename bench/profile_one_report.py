"""Where the time of one report sent alone (`POST /api/submissions`) goes, in one process.

A fresh schema (SQLite in a temporary folder, or PostgreSQL at EOM_BENCH_PG_URL, whose public
schema is dropped and created again), the demo mission, the simulator's first election day and
one API token per observer; then the reports are sent one per request straight through Django's
WSGI handler (the whole middleware stack, as gunicorn calls it, without the HTTP server),
persistent database connection. Printed: CPU per report of the request as a whole, of each
middleware (its own part, without what it calls), of the parts of the view (cProfile, cumulative),
the queries of one new report with their time, and the database backend's CPU per report
(PostgreSQL on this machine, read from /proc). Nothing is asserted.

    EOM_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/<db> \\
        .venv/bin/python bench/profile_one_report.py [postgresql|sqlite] [reports] [batch]

Defaults: postgresql, 600 reports (after 50 to warm up), one per request; `batch` > 1 sends them
that many at a time to POST /api/submissions/batch instead (to compare with batches).
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from phases import fresh_django  # noqa: E402

VENDOR = sys.argv[1] if len(sys.argv) > 1 else "postgresql"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 600
WARM = 50
BATCH = int(sys.argv[3]) if len(sys.argv) > 3 else 1
TICK = os.sysconf("SC_CLK_TCK")

# The parts of the view, by function (file fragment, function name): cumulative CPU per report.
PARTS = [
    ("URL resolving", "urls/resolvers.py", "resolve"),
    ("ninja: the whole operation", "ninja/operation.py", "run"),
    ("  token lookup (BearerToken.authenticate)", "eom/api.py", "authenticate"),
    ("  body parsed and validated (ninja/pydantic)", "ninja/operation.py", "_get_values"),
    ("  the endpoint (create_submission)", "observation/api.py", "create_submission"),
    ("    mission_for (the mission)", "missions/access.py", "mission_for"),
    ("    ingest_submissions", "observation/batch.py", "ingest_submissions"),
    ("      stored UUIDs", "observation/batch.py", "_stored"),
    ("      form versions", "observation/batch.py", "_versions"),
    ("      locations", "observation/batch.py", "_locations"),
    ("      rights (SubmitRights)", "observation/permissions.py", "__init__"),
    ("      checks (_checked)", "observation/batch.py", "_checked"),
    ("        clean_answers", "observation/answers.py", "clean_answers"),
    ("        qa_flags", "observation/answers.py", "qa_flags"),
    ("      insert (_insert: transaction, rows, audit)", "observation/batch.py", "_insert"),
    ("        audit entry (record_many)", "missions/audit.py", "record_many"),
    ("  answer rendered (ninja _result_to_response)", "ninja/operation.py",
     "_result_to_response"),
]


def _backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main() -> None:
    data_dir = tempfile.mkdtemp(prefix="eom-profile-")
    os.environ["EOM_DB_CONN_MAX_AGE"] = "600"
    os.environ.setdefault("EOM_LOG_LEVEL", "ERROR")
    fresh_django(VENDOR, data_dir)
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from eom.demo import kz2023, simulator
    from eom.missions.services import current_mission

    call_command("migrate", interactive=False, verbosity=0)
    kz2023.load()
    mission = current_mission()
    reports = simulator.plan_day(mission, teams=None, seed=1).sending_order[:WARM + N]
    tokens = simulator.observer_tokens(mission, {r.observer for r in reports}, seed=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    handler = WSGIHandler()

    def item(report) -> dict:
        return {"uuid": str(report.key), "form_id": report.form_id, "location": report.location,
                "observed_at": report.observed_at.isoformat(), "answers": report.answers}

    def environ(report, batch=None) -> dict:
        path = "/api/submissions" if batch is None else "/api/submissions/batch"
        body = json.dumps(item(report) if batch is None else {
            "submissions": [item(r) for r in batch]}).encode()
        return {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "",
            "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000", "HTTP_AUTHORIZATION": f"Bearer {tokens[report.observer]}",
            "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    statuses: dict[str, int] = {}

    def send(report, batch=None) -> None:
        def start_response(status, headers, exc_info=None):
            statuses[status[:3]] = statuses.get(status[:3], 0) + 1
        result = handler(environ(report, batch), start_response)
        b"".join(result)
        result.close()

    # The middleware chain: each middleware's own part is its time less the next one's.
    spent: dict[str, float] = {}
    chain = handler._middleware_chain
    names = []
    layer = getattr(chain, "__wrapped__", None)
    while layer is not None and hasattr(layer, "get_response"):
        name = type(layer).__module__ + "." + type(layer).__qualname__
        names.append(name)
        inner = layer.get_response

        def timed(request, inner=inner, name=name):
            started = time.process_time()
            try:
                return inner(request)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started
        layer.get_response = timed
        layer = getattr(inner, "__wrapped__", None)

    for report in reports[:WARM]:
        send(report)
    pid = None
    if VENDOR == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    spent.clear()
    statuses.clear()
    body_reports = reports[WARM:WARM + N]
    # The database backend's CPU per statement (/proc is counted in clock ticks: summed over
    # hundreds of reports the shares are right). COPY and COMMIT do not pass through Django's
    # cursor wrappers: they fall in "the rest".
    by_statement: dict[str, list] = {}

    def backend_time(execute, sql, params, many, context):
        before = _backend_cpu(pid)
        try:
            return execute(sql, params, many, context)
        finally:
            kind = " ".join(sql.split()[:3])[:60]
            if kind.startswith("SELECT"):
                kind = "SELECT … FROM " + sql.split(" FROM ", 1)[-1].split()[0]
            row = by_statement.setdefault(kind, [0, 0.0])
            row[0] += 1
            row[1] += _backend_cpu(pid) - before

    database = _backend_cpu(pid)
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(backend_time):
        if BATCH > 1:  # an observer's reports, BATCH at a time (its token)
            by_observer: dict[str, list] = {}
            for report in body_reports:
                by_observer.setdefault(report.observer, []).append(report)
            for mine in by_observer.values():
                for start in range(0, len(mine), BATCH):
                    send(mine[start], mine[start:start + BATCH])
        else:
            for report in body_reports:
                send(report)
    app_cpu = time.process_time() - started_cpu
    wall = time.perf_counter() - started_wall
    database = _backend_cpu(pid) - database

    per = "one per request" if BATCH == 1 else f"up to {BATCH} per request"
    print(f"{VENDOR}: {N} reports, {per}, through Django's WSGI handler in one "
          f"process: answers {statuses}")
    print(f"{VENDOR}: app CPU {app_cpu / N * 1000:.2f} ms per report, database backend CPU "
          f"{database / N * 1000:.2f} ms per report, wall {wall / N * 1000:.2f} ms per report")
    if pid is not None:
        for kind, (count, seconds) in sorted(by_statement.items(), key=lambda kv: -kv[1][1]):
            print(f"  database: {kind:<58} {count / N:4.1f} per report "
                  f"{seconds / N * 1000:6.2f} ms")
        rest = database - sum(seconds for _count, seconds in by_statement.values())
        print(f"  database: {'the rest (COMMIT, COPY, between statements)':<58} {'':>15}"
              f"{rest / N * 1000:6.2f} ms")
    inside = [spent.get(name, 0.0) for name in names]
    outer = app_cpu - (inside[0] if inside else 0.0)
    print(f"  {'WSGI handler (request object, response, signals) and middleware 1':<62} "
          f"{outer / N * 1000:6.2f} ms")
    for i, name in enumerate(names):
        own = inside[i] - (inside[i + 1] if i + 1 < len(names) else 0.0)
        label = f"inside {name.rsplit('.', 1)[-1]} (own part of the next middleware)" \
            if i + 1 < len(names) else f"inside {name.rsplit('.', 1)[-1]}: URL, view, answer"
        print(f"  {label:<62} {own / N * 1000:6.2f} ms")

    # cProfile of the view's parts (its overhead inflates the figures; the shares are what count)
    profile = cProfile.Profile(time.process_time)
    # new reports (another simulated day): those sent already would now be replays
    extra = simulator.plan_day(mission, teams=None, seed=2).sending_order[:200]
    tokens.update(simulator.observer_tokens(mission, {r.observer for r in extra}, seed=0))
    profile.enable()
    for report in extra:
        send(report)
    profile.disable()
    stats = pstats.Stats(profile)
    total = sum(row[3] for key, row in stats.stats.items() if key[2] == "__call__"
                and key[0].endswith("django/core/handlers/wsgi.py"))
    print(f"{VENDOR}: cProfile over {len(extra)} more reports (figures inflated by the "
          f"profiler; WSGI handler {total / len(extra) * 1000:.2f} ms per report under it):")
    for label, fragment, function in PARTS:
        found = [row[3] for key, row in stats.stats.items()
                 if key[0].endswith(fragment) and key[2] == function]
        if found:
            print(f"  {label:<62} {max(found) / len(extra) * 1000:6.2f} ms "
                  f"({max(found) / total:5.1%})")
    if os.environ.get("EOM_PROFILE_CALLEES"):  # e.g. record_many
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_callees(
            os.environ["EOM_PROFILE_CALLEES"])
        print(out.getvalue())
    if os.environ.get("EOM_PROFILE_CALLERS"):  # e.g. quote_name
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_callers(
            os.environ["EOM_PROFILE_CALLERS"])
        print(out.getvalue())
    if os.environ.get("EOM_PROFILE_TOP"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(os.environ["EOM_PROFILE_TOP"]).print_stats(60)
        print(out.getvalue())

    # The queries of one new report, with their time (wall, as the driver saw it)
    fresh = simulator.plan_day(mission, teams=None, seed=3).sending_order[0]
    tokens.update(simulator.observer_tokens(mission, {fresh.observer}, seed=0))
    with CaptureQueriesContext(connection) as queries:
        send(fresh)
    print(f"{VENDOR}: the queries of one new report: {len(queries.captured_queries)}")
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:150]}")


if __name__ == "__main__":
    main()
