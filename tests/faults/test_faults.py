"""Faults against the real stack (gunicorn, a Celery worker and the beat, Redis, PostgreSQL): a worker
SIGKILLed mid-provisioning, Redis restarted with tasks queued (and down while orders arrive), PostgreSQL taken
away for seconds. Every accepted customer must end in a terminal state, once, with nothing duplicated; the
recovery time (from the fault's end to the last customer's terminal state) is printed and kept in the log
folder (FAULTS_LOG_DIR, default a temporary one).

One stack serves the module (starting gunicorn, a worker, the beat and Redis costs seconds of CPU each time):
each test starts from a healthy stack (every process running, the database reachable) and judges only the
customers it ordered itself; the rows stay committed until the run drops the database."""

import json
import os
import signal
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connection

from apps.customers.models import Customer, CustomerPackage, CustomerStatus
from apps.locations.models import Location
from apps.onboarding.models import OnboardingTemplate
from apps.provisioning.services.provisioning import BUSY
from tests.conftest import build_world
from tests.factories import api_secret_for
from tests.faults import stack as s

# The tests only read (in READ COMMITTED, each query sees what the stack's processes committed); the
# transaction around each one has nothing of theirs to undo. The module's rows are committed before it.
pytestmark = [pytest.mark.faults, pytest.mark.django_db]
DEADLINE = 120  # seconds for every customer to end after the fault: lease 8 s, relay every second


class Stack:
    def __init__(self, log_dir: Path):
        if connection.vendor != "postgresql":
            pytest.skip("the fault suite needs PostgreSQL (DATABASE_URL=postgres://...)")
        self.log_dir = log_dir
        world = build_world()
        self.secret = api_secret_for(world.acme_admin)
        self.provisioning_id = OnboardingTemplate.objects.get(partner=world.acme).provisioning_id
        upstream = urlparse(os.environ["DATABASE_URL"])
        name = connection.settings_dict["NAME"]
        self.redis = s.Redis(log_dir).start()
        self.proxy = s.DatabaseProxy(upstream.hostname or "127.0.0.1", upstream.port or 5432)
        queue = f"faults-{os.getpid()}"
        direct = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{name}"
        worker_env = s.django_env(
            database_url=s.database_url_via(self.proxy, direct, name), broker_url=self.redis.url, queue=queue
        )
        web_env = s.django_env(database_url=direct, broker_url=self.redis.url, queue=queue)
        self.web_port = s.free_port()
        self.worker = s.worker(worker_env, log_dir).start()
        self.beat = s.beat(worker_env, log_dir).start()
        self.web = s.web(web_env, log_dir, self.web_port).start()
        s.wait_for_port(self.web_port, timeout=60)
        self.ordered: list[str] = []  # this test's orders
        self.placed = 0  # every order of the module (their external ids and e-mails are unique)

    def stop(self) -> None:
        for process in (self.web, self.beat, self.worker, self.redis):
            process.kill(signal.SIGTERM)
        self.proxy.close()

    def healthy(self) -> "Stack":
        """The stack as a test expects to find it, whatever the test before did to it: every process
        running, the proxy passing the database through; the orders judged are the next test's own."""
        self.proxy.up()
        for process in (self.redis, self.worker, self.beat, self.web):
            if not process.running():
                process.start()
        s.wait_for_port(self.web_port, timeout=60)
        self.ordered = []
        return self

    def order(self, count: int, *, expect: int = 202) -> list[str]:
        """``count`` customers through POST /v1/wholesale/customers; each must get ``expect``."""
        ids = []
        for _ in range(count):
            self.placed += 1
            n = self.placed
            external_id = f"fault-{os.getpid()}-{n}"
            status, body = self._post(external_id, n)
            assert status == expect, (status, body, self.web.tail())
            self.ordered.append(external_id)
            ids.append(external_id)
        return ids

    def _post(self, external_id: str, n: int) -> tuple[int, str]:
        address = {
            "addressLine1": "771 Alder Drive",
            "city": "Milpitas",
            "stateOrProvince": "CA",
            "zipOrPostalCode": "95035",
            "country": "US",
        }
        order = {
            "provisioningId": self.provisioning_id,
            "packages": ["webex_calling", "webex_meetings"],
            "externalId": external_id,
            "address": address,
            "customerInfo": {
                "name": f"Fault Customer {n}",
                "primaryEmail": f"admin{n}@fault{os.getpid()}.test",
            },
            "provisioningParameters": {
                "calling": {
                    "location": {
                        "name": "Head Office",
                        "address": address,
                        "timezone": "America/Los_Angeles",
                        "language": "en_us",
                    }
                },
                "meetings": {"timezone": "America/Los_Angeles"},
            },
        }
        request = urllib.request.Request(  # noqa: S310  (loopback, our own server)
            f"http://127.0.0.1:{self.web_port}/v1/wholesale/customers",
            data=json.dumps(order).encode(),
            headers={"Authorization": f"Bearer {self.secret}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def statuses(self, external_ids=None) -> dict[str, str]:
        ids = external_ids or self.ordered
        return dict(Customer.objects.filter(external_id__in=ids).values_list("external_id", "status"))

    def wait_until(self, predicate, timeout: float, what: str) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if predicate():
                return time.monotonic() - start
            time.sleep(0.25)
        raise AssertionError(
            f"{what} not reached in {timeout} s: {self.statuses()}\n--- worker\n{self.worker.tail()}"
            f"\n--- beat\n{self.beat.tail(15)}"
        )

    def wait_all_terminal(self, timeout: float = DEADLINE) -> float:
        def done() -> bool:
            statuses = self.statuses()
            return len(statuses) == len(self.ordered) and not set(statuses.values()) & BUSY

        return self.wait_until(done, timeout, "every customer terminal")

    def assert_each_once_and_provisioned(self) -> None:
        customers = Customer.objects.filter(external_id__in=self.ordered)
        assert customers.count() == len(self.ordered) == len(set(self.ordered))
        assert dict.fromkeys(self.statuses().values()) == {CustomerStatus.PROVISIONED: None}, self.statuses()
        for customer in customers:
            assert CustomerPackage.objects.filter(customer=customer).count() == 2  # no package twice
            assert Location.objects.filter(org=customer.org_id).count() == 1  # headquarters made once
            assert customer.org.people.filter(email=customer.primary_email).count() == 1

    def report(self, scenario: str, seconds: float) -> None:
        line = f"{scenario}: {len(self.ordered)} customers, recovered in {seconds:.1f} s"
        if not self.ordered:
            line = f"{scenario} in {seconds:.2f} s"
        print(line)
        with (self.log_dir / "recovery.txt").open("a") as handle:
            handle.write(line + "\n")


@pytest.fixture(scope="module")
def running_stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """The module's one stack, on rows committed for it (not rolled back: the processes read them)."""
    log_dir = Path(os.environ.get("FAULTS_LOG_DIR") or tmp_path_factory.mktemp("faults"))
    log_dir.mkdir(parents=True, exist_ok=True)
    with django_db_blocker.unblock():
        running = Stack(log_dir)
        try:
            yield running
        finally:
            running.stop()


@pytest.fixture
def stack(running_stack):
    return running_stack.healthy()


def test_a_worker_killed_mid_provisioning_leaves_nothing_stuck(stack):
    stack.order(20)
    stack.wait_until(
        lambda: CustomerStatus.PROVISIONED in stack.statuses().values(), 60, "a first customer provisioned"
    )
    stack.worker.kill(signal.SIGKILL)  # whatever it was running stays unacknowledged
    stuck = [e for e, status in stack.statuses().items() if status in BUSY]
    assert stuck, "the worker finished everything before it was killed: nothing was tested"
    stack.worker.start()
    stack.report("worker SIGKILL", stack.wait_all_terminal())
    stack.assert_each_once_and_provisioned()


def test_redis_restarted_with_tasks_queued_and_down_while_orders_arrive(stack):
    stack.worker.kill(signal.SIGKILL)
    stack.order(20)  # published: queued in Redis, no worker to take them
    stack.redis.kill(signal.SIGKILL)  # the queue is lost with it (no persistence)
    stack.order(5)  # the broker is down: accepted all the same (202), the outbox keeps them
    stack.redis.start()
    stack.worker.start()
    stack.report("Redis restart", stack.wait_all_terminal())
    stack.assert_each_once_and_provisioned()


def test_postgresql_away_for_seconds(stack):
    stack.order(20)
    stack.wait_until(
        lambda: CustomerStatus.PROVISIONED in stack.statuses().values(), 60, "a first customer provisioned"
    )
    stack.proxy.down()  # the worker and the beat lose the database
    time.sleep(4)
    stack.proxy.up()
    stack.report("PostgreSQL outage (4 s)", stack.wait_all_terminal())
    stack.assert_each_once_and_provisioned()


def test_idle_and_slow_clients_do_not_stall_the_site(stack):
    """gthread: connections that send nothing, or stay open after their answer (keep-alive), wait in the
    worker's poller; one gunicorn worker still answers everyone else at once."""
    idle = [socket.create_connection(("127.0.0.1", stack.web_port)) for _ in range(12)]
    kept_alive = []
    for _ in range(4):
        sock = socket.create_connection(("127.0.0.1", stack.web_port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
        kept_alive.append(sock)
    try:
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{stack.web_port}/healthz", timeout=10) as answer:  # noqa: S310
            assert answer.status == 200
        elapsed = time.monotonic() - started
        stack.report("16 idle connections open, a new request answered", elapsed)
        assert elapsed < 3
    finally:
        for sock in idle + kept_alive:
            sock.close()
