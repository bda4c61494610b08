"""Throughput of ``POST /v1/wholesale/subscribers`` at concurrency 4 against a real server (gunicorn on
loopback, ``config/gunicorn.conf.py``, PostgreSQL), beside its floor measured in the same run: a trivial
authenticated insert POST (``tests.bench.floor.FloorInsertApi``: the same token authentication and JSON
parsing, one row written). Acceptance (issue 11): at least half the floor's throughput.

Rounds alternate floor and target so that the machine's load weighs on both alike; printed: requests/s,
median and p95 latency, and the server's CPU time per request (user + system of gunicorn's processes, from
/proc). Every answer must be a success and every subscriber must exist afterwards.

PostgreSQL only: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/wholesalehub_x TEST_DATABASE_NAME=test_x``.
"""

import http.client
import json
import os
import statistics
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from apps.subscribers.models import Subscriber
from tests.bench.floor import FLOOR_INSERT, FLOOR_TABLE
from tests.factories import api_secret_for
from tests.faults.stack import PRODUCTION, Process, Redis, django_env, free_port, wait_for_port

pytestmark = [pytest.mark.bench, pytest.mark.django_db(transaction=True)]

CONCURRENCY = 4
PER_CLIENT = 40  # requests per client and round
ROUNDS = 3
SUBSCRIBERS = "/v1/wholesale/subscribers"
BIN = Path(os.sys.executable).parent


def _server_cpu(pid: int) -> float:
    """User + system seconds of a process and its children (gunicorn's master and workers)."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _burst(port: int, secret: str, path: str, bodies: list[list[dict]]) -> tuple[float, list[float], list]:
    """Each client POSTs its bodies one after another on one keep-alive connection; (seconds, latencies,
    failures)."""
    latencies: list[float] = []
    failures: list = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(bodies) + 1)

    def client(mine: list[dict]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
        barrier.wait()
        for body in mine:
            started = time.perf_counter()
            conn.request("POST", path, json.dumps(body), headers)
            response = conn.getresponse()
            content = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status >= 300:
                    failures.append((response.status, content[:200]))
        conn.close()

    threads = [threading.Thread(target=client, args=(mine,)) for mine in bodies]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures


def test_subscriber_posts_at_least_half_the_floor_throughput(world, tmp_path, capsys):
    if connection.vendor != "postgresql":
        pytest.skip("the POST benchmark runs gunicorn on PostgreSQL (set DATABASE_URL)")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (id bigserial PRIMARY KEY, body jsonb)")
    secret = api_secret_for(world.acme_admin)
    customer_id = world.blue_harbor.webex_id
    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
    database_url += db["NAME"]
    redis = Redis(tmp_path).start()
    port = free_port()
    env = django_env(
        database_url=database_url,
        broker_url=redis.url,
        queue="bench-post",
        DJANGO_SETTINGS_MODULE="tests.bench.server_settings",
        API_RATE_LIMIT="1000000/min",
        **PRODUCTION,
        GUNICORN_ACCESS_LOG="/dev/null",
        GUNICORN_LOG_LEVEL="warning",
    )
    web = Process(
        "web",
        [
            str(BIN / "gunicorn"),
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi",
        ],
        env,
        tmp_path,
    ).start()
    results = {"floor": [], "target": []}
    sent = []

    def subscriber_bodies(tag: str, *, per_client: int, first_extension: int) -> list[list[dict]]:
        """Each client's subscriber adds: new people of Blue Harbor, each with an extension of its own."""
        return [
            [
                {
                    "customerId": customer_id,
                    "email": f"{tag}-{c}-{i}@blueharbor.test",
                    "package": "webex_suite",
                    "provisioningParameters": {
                        "firstName": "Post",
                        "lastName": f"{c}-{i}",
                        "extension": str(first_extension + c * 50 + i),
                    },
                }
                for i in range(per_client)
            ]
            for c in range(CONCURRENCY)
        ]

    try:
        wait_for_port(port, timeout=60)
        # Warm both routes on every worker (imports, connections, the token's last use, the queries each
        # process compiles once).
        _burst(port, secret, FLOOR_INSERT, [[{"warm": n}] * 2 for n in range(CONCURRENCY)])
        warm = subscriber_bodies("warm", per_client=2, first_extension=3900)
        sent += [body["email"] for mine in warm for body in mine]
        assert not _burst(port, secret, SUBSCRIBERS, warm)[2]
        for round_ in range(ROUNDS):
            for kind in ("floor", "target"):
                if kind == "floor":
                    path = FLOOR_INSERT
                    bodies = [[{"n": i, "c": c} for i in range(PER_CLIENT)] for c in range(CONCURRENCY)]
                else:
                    path = SUBSCRIBERS
                    bodies = subscriber_bodies(
                        f"post-{round_}", per_client=PER_CLIENT, first_extension=3000 + round_ * 200
                    )
                    sent += [body["email"] for mine in bodies for body in mine]
                cpu = _server_cpu(web.proc.pid)
                seconds, latencies, failures = _burst(port, secret, path, bodies)
                cpu = _server_cpu(web.proc.pid) - cpu
                assert not failures, (kind, failures[:3], web.tail())
                results[kind].append((seconds, latencies, cpu))
    finally:
        web.kill()
        redis.kill()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {FLOOR_TABLE}")
    stored = set(Subscriber.objects.filter(email__in=sent).values_list("email", flat=True))
    assert stored == set(sent)

    def summary(kind):
        count = sum(len(latencies) for _, latencies, _ in results[kind])
        seconds = sum(s for s, _, _ in results[kind])
        latencies = sorted(x for _, lat, _ in results[kind] for x in lat)
        cpu = sum(c for _, _, c in results[kind])
        return (
            count / seconds,
            statistics.median(latencies),
            latencies[int(len(latencies) * 0.95)],
            cpu / count,
        )

    floor, target = summary("floor"), summary("target")
    with capsys.disabled():
        print(
            f"\n\nPOST throughput at concurrency {CONCURRENCY}, gunicorn (config/gunicorn.conf.py), loopback"
        )
        print(f"{'':<38} {'req/s':>8} {'median':>9} {'p95':>9} {'server CPU/req':>15}")
        for name, (rate, p50, p95, cpu) in (
            ("floor: trivial insert POST", floor),
            ("POST subscribers", target),
        ):
            print(f"{name:<38} {rate:>8.1f} {p50 * 1000:>7.1f}ms {p95 * 1000:>7.1f}ms {cpu * 1000:>13.1f}ms")
        print(f"ratio (subscribers / floor throughput): {target[0] / floor[0]:.2f}; acceptance >= 0.5\n")
    assert target[0] >= 0.5 * floor[0]
