"""`make load`: a bounded load test of the production stack on this machine, loopback only (issue 11).

Sets up everything on its own: a PostgreSQL database of a unique name (``wh_load_<pid>_<random>`` on the
server of ``DATABASE_URL``, default postgres://postgres@127.0.0.1:5432), migrated and seeded (the test
persona world, 1,000 more customers and 10,000 subscribers), a Redis of its own, gunicorn
(``config/gunicorn.conf.py``) and a Celery worker. Then it sends LOAD_RATE requests a second (default 50) for
LOAD_SECONDS (default 60), open loop (each request leaves at its scheduled time, whatever the previous ones
do; latency counts from that time, so a server falling behind shows in the figures): mixed reads (customer and
subscriber lists, first and next pages, details) and writes (subscribers added, customers provisioned through
the outbox and the worker). It reports p50/p95/p99 per endpoint and the errors, checks that every accepted
write is present afterwards (every subscriber readable, every customer provisioned), and cleans up: stops
what it started (by pid) and drops the database. Exit status 1 on any error or missing write.

Bounded: seeding ~40 s, load LOAD_SECONDS (at most 120), checks ≤ 60 s. Not part of `make test` or .ci/run.
"""

import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import mkdtemp
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.faults.stack import PRODUCTION, Process, Redis, django_env, free_port, wait_for_port, worker  # noqa: E402

BIN = Path(sys.executable).parent
RATE = float(os.environ.get("LOAD_RATE", "50"))
SECONDS = min(float(os.environ.get("LOAD_SECONDS", "60")), 120.0)  # bounded: the whole run stays ≤ 3 min
DRAIN = 20.0
SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")

SEED = """
import json, django
django.setup()
from django.db import connection
from apps.accounts.models import User
from apps.core.models import Organization
from apps.customers.models import Customer, CustomerPackage
from apps.locations.models import Extension
from apps.onboarding.models import OnboardingTemplate
from apps.subscribers.models import Subscriber
from tests.bench.seed import bulk_customers, seed_subscribers
from tests.conftest import build_world
from tests.factories import api_secret_for

world = build_world()
template = OnboardingTemplate.objects.get(partner=world.acme)
bulk_customers(world.acme, template, 100, 1000)
seed_subscribers(world.blue_harbor, "seed", 10000)
with connection.cursor() as cursor:
    for model in (Organization, Customer, CustomerPackage, User, Subscriber, Extension):
        cursor.execute(f'ANALYZE "{model._meta.db_table}"')
print(json.dumps({
    "secret": api_secret_for(world.acme_admin),
    "blue": world.blue_harbor.webex_id,
    "provisioning_id": template.provisioning_id,
}))
"""


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(sql)


def database_url(name: str) -> str:
    parsed = urlparse(SERVER)
    return parsed._replace(path=f"/{name}").geturl()


class Client:
    """One keep-alive connection per thread."""

    def __init__(self, port: int, secret: str):
        self.port, self.secret, self.local = port, secret, threading.local()

    IDLE = 2.0  # seconds: below gunicorn's keep-alive (5 s), so the server never closes one under a request

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict, dict]:
        conn = getattr(self.local, "conn", None)
        if conn is not None and time.monotonic() - self.local.used > self.IDLE:
            conn.close()
            conn = None
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"}
        try:
            conn.request(method, path, json.dumps(body) if body is not None else None, headers)
            response = conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.local.conn = None
            conn.close()
            raise
        finally:
            self.local.used = time.monotonic()
        data = json.loads(content) if content else {}
        return response.status, dict(response.getheaders()), data


class Load:
    def __init__(self, client: Client, seeded: dict):
        self.client, self.seeded = client, seeded
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[tuple[str, str]] = []
        self.unsent: dict[str, int] = defaultdict(int)  # not started DRAIN s after the last send
        self.subscribers: list[tuple[str, str]] = []  # (email, url) of every accepted POST
        self.customers: list[tuple[str, str]] = []  # (externalId, url)
        self.counter = 0
        self.next_links: list[str] = []

    def _number(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def _path(self, url: str) -> str:
        parsed = urlparse(url)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")

    # Each operation: (name, weight, function) — the function returns (status, expected statuses).
    def list_customers(self):
        status, headers, _ = self.client.call("GET", "/v1/wholesale/customers?max=100")
        if 'rel="next"' in headers.get("Link", ""):
            link = headers["Link"].split(">", 1)[0].lstrip("<")
            with self.lock:
                self.next_links = [link]
        return status, (200,)

    def next_customers(self):
        with self.lock:
            link = self.next_links[0] if self.next_links else None
        path = self._path(link) if link else "/v1/wholesale/customers?offset=500&max=100"
        return self.client.call("GET", path)[0], (200,)

    def list_subscribers(self):
        n = random.randrange(0, 9_900)
        return self.client.call("GET", f"/v1/wholesale/subscribers?offset={n}&max=100")[0], (200,)

    def search_subscriber(self):
        email = f"seed{random.randrange(10_000):06d}@bench.test"
        return self.client.call("GET", f"/v1/wholesale/subscribers?email={email}")[0], (200,)

    def get_subscriber(self):
        with self.lock:
            chosen = random.choice(self.subscribers) if self.subscribers else None
        if chosen is None:
            return self.list_subscribers()
        return self.client.call("GET", self._path(chosen[1]))[0], (200,)

    def add_subscriber(self):
        n = self._number()
        email = f"load{os.getpid()}-{n}@blueharbor.test"
        body = {
            "customerId": self.seeded["blue"],
            "email": email,
            "package": "webex_suite",
            "provisioningParameters": {"firstName": "Load", "lastName": str(n), "extension": str(3000 + n)},
        }
        status, headers, _ = self.client.call("POST", "/v1/wholesale/subscribers", body)
        if status in (200, 202):
            with self.lock:
                self.subscribers.append((email, headers.get("Location", "")))
        return status, (200, 202)

    def add_customer(self):
        n = self._number()
        external = f"LOAD-{os.getpid()}-{n}"
        body = {
            "provisioningId": self.seeded["provisioning_id"],
            "packages": ["webex_meetings"],
            "externalId": external,
            "address": {"addressLine1": f"{n} Load Street", "city": "Milpitas", "country": "US"},
            "customerInfo": {
                "name": f"Load Customer {n}",
                "primaryEmail": f"admin@load{n}-{os.getpid()}.test",
            },
            "provisioningParameters": {"meetings": {"timezone": "America/Los_Angeles"}},
        }
        status, headers, _ = self.client.call("POST", "/v1/wholesale/customers", body)
        if status == 202:
            with self.lock:
                self.customers.append((external, headers.get("Location", "")))
        return status, (202,)

    def operations(self):
        return [
            ("GET customers (first page)", 16, self.list_customers),
            ("GET customers (next link)", 10, self.next_customers),
            ("GET subscribers (offset)", 15, self.list_subscribers),
            ("GET subscribers?email=", 15, self.search_subscriber),
            ("GET subscriber", 17, self.get_subscriber),
            ("POST subscribers", 25, self.add_subscriber),
            ("POST customers", 2, self.add_customer),
        ]

    def one(self, name: str, function, scheduled: float) -> None:
        try:
            status, expected = function()
            problem = None if status in expected else f"HTTP {status}"
        except Exception as error:  # noqa: BLE001 (every failure is counted and shown)
            problem = f"{type(error).__name__}: {error}"
        elapsed = time.perf_counter() - scheduled
        with self.lock:
            self.latencies[name].append(elapsed)
            if problem:
                self.errors.append((name, problem))

    def run(self) -> float:
        operations = self.operations()
        names = [name for name, _, _ in operations]
        weights = [weight for _, weight, _ in operations]
        functions = {name: function for name, _, function in operations}
        total = int(RATE * SECONDS)
        started = time.perf_counter()
        pool = ThreadPoolExecutor(max_workers=32)
        futures = []
        for i in range(total):
            scheduled = started + i / RATE
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            name = random.choices(names, weights)[0]
            futures.append((name, pool.submit(self.one, name, functions[name], scheduled)))
        # Bounded: what a server that fell behind has not started DRAIN seconds after the last send is not
        # sent at all, and counted apart as unsent (a failed run; requests in progress finish within the
        # client's timeout).
        deadline = time.monotonic() + DRAIN
        while time.monotonic() < deadline and not all(future.done() for _, future in futures):
            time.sleep(0.2)
        for name, future in futures:
            if future.cancel():
                self.unsent[name] += 1
        pool.shutdown(wait=True)
        return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def verify(load: Load) -> list[str]:
    """Every accepted write is present: each subscriber readable by its url (and listed by e-mail), each
    customer provisioned (the worker had the outbox's work) within 60 s."""

    def subscriber(written: tuple[str, str]) -> str | None:
        email, url = written
        status, _, _ = load.client.call("GET", load._path(url))
        listed = load.client.call("GET", f"/v1/wholesale/subscribers?email={email}")[2].get("items", [])
        return None if status == 200 and len(listed) == 1 else f"{email}: GET {status}, listed {len(listed)}"

    with ThreadPoolExecutor(max_workers=4) as pool:
        missing = [f"subscriber {m}" for m in pool.map(subscriber, load.subscribers) if m]
    deadline = time.monotonic() + 60
    pending = dict(load.customers)
    while pending and time.monotonic() < deadline:
        for external, url in list(pending.items()):
            status, _, data = load.client.call("GET", load._path(url))
            if status == 200 and data.get("status") == "provisioned":
                del pending[external]
            elif status != 200 or data.get("status") in ("error", "provisioned_with_errors"):
                missing.append(f"customer {external}: HTTP {status}, status {data.get('status')}")
                del pending[external]
        if pending:
            time.sleep(1)
    missing += [f"customer {external}: not provisioned after 60 s" for external in pending]
    return missing


def main() -> int:
    name = f"wh_load_{os.getpid()}_{secrets.token_hex(3)}"
    logs = Path(mkdtemp(prefix="wh-load-"))
    started: list[Process] = []
    print(f"make load: database {name}, logs in {logs}")
    admin_sql(f'CREATE DATABASE "{name}"')
    try:
        redis = Redis(logs).start()
        started.append(redis)
        env = django_env(
            database_url=database_url(name),
            broker_url=redis.url,
            queue=f"load-{os.getpid()}",
            API_RATE_LIMIT="1000000/min",
            **PRODUCTION,
            GUNICORN_ACCESS_LOG=str(logs / "access.log"),
            GUNICORN_LOG_LEVEL="warning",
        )
        setup = time.perf_counter()
        manage = [str(BIN / "python"), "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        seeding = subprocess.run(  # noqa: S603 (our own fixed command)
            [str(BIN / "python"), "-c", SEED],
            cwd=ROOT,
            # The persona world is built as the tests build it: its tasks run eagerly, in the process.
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings_test", "CELERY_BROKER_URL": "memory://"},
            capture_output=True,
            text=True,
        )
        if seeding.returncode != 0:
            raise RuntimeError(f"seeding failed:\n{seeding.stderr[-3000:]}")
        seeded = json.loads(seeding.stdout.strip().splitlines()[-1])
        print(f"migrated and seeded in {time.perf_counter() - setup:.0f} s")
        port = free_port()
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
            logs,
        ).start()
        started.append(web)
        started.append(worker(env, logs).start())
        wait_for_port(port, timeout=60)
        client = Client(port, seeded["secret"])
        for _ in range(3):  # warm every worker process
            client.call("GET", "/v1/wholesale/customers?max=1")
        load = Load(client, seeded)
        print(f"load: {RATE:.0f} requests/s for {SECONDS:.0f} s, mixed reads and writes ...")
        elapsed = load.run()
        missing = verify(load)
    finally:
        for process in reversed(started):
            process.kill()
        try:
            admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as error:  # noqa: BLE001
            print(f"could not drop {name}: {error}")

    sent = sum(len(v) for v in load.latencies.values())
    print(
        f"\n{sent} requests in {elapsed:.1f} s ({sent / elapsed:.1f}/s); latency from the scheduled send time"
    )
    print(f"{'endpoint':<30} {'count':>6} {'p50':>9} {'p95':>9} {'p99':>9} {'errors':>7} {'unsent':>7}")
    errors_by = defaultdict(int)
    for endpoint, _ in load.errors:
        errors_by[endpoint] += 1
    everything = []
    for endpoint in sorted(load.latencies):
        values = load.latencies[endpoint]
        everything += values
        print(
            f"{endpoint:<30} {len(values):>6} {percentile(values, 50) * 1000:>7.0f}ms"
            f" {percentile(values, 95) * 1000:>7.0f}ms {percentile(values, 99) * 1000:>7.0f}ms"
            f" {errors_by[endpoint]:>7} {load.unsent[endpoint]:>7}"
        )
    print(
        f"{'all':<30} {len(everything):>6} {statistics.median(everything) * 1000:>7.0f}ms"
        f" {percentile(everything, 95) * 1000:>7.0f}ms {percentile(everything, 99) * 1000:>7.0f}ms"
        f" {len(load.errors):>7} {sum(load.unsent.values()):>7}"
    )
    unsent = sum(load.unsent.values())
    if unsent:
        print(f"unsent: not started {DRAIN:.0f} s after the last send (the server fell behind)")
    for endpoint, problem in load.errors[:10]:
        print(f"  error: {endpoint}: {problem}")
    print(
        f"writes: {len(load.subscribers)} subscribers and {len(load.customers)} customers accepted;"
        f" missing afterwards: {len(missing)}"
    )
    for line in missing[:10]:
        print(f"  missing: {line}")
    print(f"database {name} dropped; processes stopped")
    return 1 if load.errors or unsent or missing else 0


if __name__ == "__main__":
    sys.exit(main())
