"""The production stack of the fault suite, on this machine and loopback only: a Redis of its own (a free
port, no persistence), a TCP proxy in front of PostgreSQL that can take the database away from the worker
for a few seconds (the shared server itself is never stopped), gunicorn, a Celery worker and the beat.
Every process is started here, in a session of its own, and stopped by its own pid."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port} after {timeout} s")


class Process:
    """One child process with its log in ``log_dir``."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name, self.args, self.env, self.log_path = name, args, env, log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "Process":
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603  (our own fixed command lines)
            self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)  # its own session: the process and the children it forked
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Redis(Process):
    def __init__(self, log_dir: Path):
        self.port = free_port()
        super().__init__(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            dict(os.environ),
            log_dir,
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        super().start()
        wait_for_port(self.port)
        return self


class DatabaseProxy:
    """Forwards a local port to PostgreSQL; ``outage()`` closes every connection and refuses new ones."""

    def __init__(self, upstream_host: str, upstream_port: int):
        self.upstream = (upstream_host, upstream_port)
        self.port = free_port()
        self._down = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if self._down.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, upstream}
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    @staticmethod
    def _close(sock: socket.socket) -> None:
        # shutdown first: it sends the FIN and wakes the thread blocked reading the socket (close alone
        # does neither while that read is in progress, and PostgreSQL would keep the session open).
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(target)
            with self._lock:
                self._sockets -= {source, target}

    def down(self) -> None:
        self._down.set()
        with self._lock:
            sockets, self._sockets = set(self._sockets), set()
        for sock in sockets:
            self._close(sock)

    def up(self) -> None:
        self._down.clear()

    def close(self) -> None:
        self.down()
        self._server.close()


def database_url_via(proxy: DatabaseProxy, database_url: str, name: str) -> str:
    parsed = urlparse(database_url)
    user = parsed.username or "postgres"
    auth = f"{user}:{parsed.password}@" if parsed.password else f"{user}@"
    return f"postgres://{auth}127.0.0.1:{proxy.port}/{name}"


# Production settings as they run behind the documented TLS proxy (DEBUG off: no query log, cached templates),
# for the benchmarks that measure what production serves; loopback has no TLS, so no HTTPS redirect.
PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECURE_SSL_REDIRECT": "false"}


def django_env(*, database_url: str, broker_url: str, queue: str, **extra: str) -> dict:
    """The environment of the stack's Django processes: production settings with DEBUG on (no TLS here)."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "CI"))
    }
    return {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DJANGO_SECRET_KEY": "fault-suite-" + "k" * 40,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": "",
        "CELERY_QUEUE": queue,
        "OUTBOX_RELAY_SECONDS": "1",
        "OUTBOX_LEASE_SECONDS": "8",
        **extra,
    }


def worker(env: dict, log_dir: Path, name: str = "worker") -> Process:
    return Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "-Q",
            env["CELERY_QUEUE"],
            "--hostname",
            f"{name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        env,
        log_dir,
    )


def beat(env: dict, log_dir: Path) -> Process:
    return Process(
        "beat",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel=info",
            "--schedule",
            str(log_dir / "beat-schedule"),
        ],
        env,
        log_dir,
    )


def web(env: dict, log_dir: Path, port: int) -> Process:
    return Process(
        "web",
        [
            str(BIN / "gunicorn"),
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            "-",
            "config.wsgi",
        ],
        env,
        log_dir,
    )
