"""Several replicas of the lesson behind HAProxy on this machine, without Docker.

Run:  python deploy/local_cluster.py --replicas 2 [--port 8500]

Starts ``--replicas`` ``streamlit run app.py`` processes on loopback ports (``--port`` + 1,
+ 2, ...) and HAProxy on ``--port``, configured from deploy/haproxy.cfg.in, the template
compose.yaml's deploy/haproxy.cfg is rendered from: the same cookie affinity, health checks
on /_stcore/health and websocket timeouts. Every replica gets the same cookie secret, so a
cookie one replica signed (Starlette's session cookie, st.login's) is valid on the others;
the XSRF token needs none (Streamlit compares the cookie with the header). HAProxy is
installed from Debian's packages (apt-get) when it is missing. Open
http://127.0.0.1:<port>; HAProxy's own page is on ``--stats-port``.

Everything it started is stopped when it exits: on Ctrl-C, on SIGTERM or SIGHUP, and when
the proxy or every replica has died (one dead replica is reported; HAProxy sends its
students to the others). A port already in use stops it before anything starts.
Importable: ``with Cluster(2) as cluster:`` is what the tests and bench/bench_classroom.py use.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TEMPLATE = DEPLOY / "haproxy.cfg.in"
COMPOSE_CONFIG = DEPLOY / "haproxy.cfg"
HOST = "127.0.0.1"
COMPOSE_REPLICAS_MAX = 8     # server-template slots; compose.yaml's replicas must fit
HEALTH_TIMEOUT_S = 90.0


class ClusterError(RuntimeError):
    """The cluster cannot start: the message says what, and how to fix it."""


# ----------------------------------------------------------------------------- the config

def render(*, servers: str, bind: str, stats_bind: str, admin_socket: str,
           extra_sections: str = "") -> str:
    """deploy/haproxy.cfg.in with its placeholders filled in."""
    return TEMPLATE.read_text(encoding="utf-8").format(
        servers=servers, bind=bind, stats_bind=stats_bind, admin_socket=admin_socket,
        extra_sections=extra_sections)


def compose_config() -> str:
    """The config compose.yaml mounts: replicas found through Docker's DNS (``app``)."""
    return render(
        servers=f"    server-template app 1-{COMPOSE_REPLICAS_MAX} app:8501 "
                "resolvers docker init-addr none\n",
        bind=":8080", stats_bind=":8404", admin_socket="/tmp/haproxy-admin.sock",
        extra_sections="\nresolvers docker\n    nameserver dns 127.0.0.11:53\n"
                       "    hold valid 1s\n")


def local_config(replica_ports: list[int], port: int, stats_port: int,
                 admin_socket: Path) -> str:
    """The config for replicas on this machine's loopback ports."""
    servers = "".join(f"    server app{i} {HOST}:{p}\n"
                      for i, p in enumerate(replica_ports, start=1))
    return render(servers=servers, bind=f"{HOST}:{port}", stats_bind=f"{HOST}:{stats_port}",
                  admin_socket=str(admin_socket))


# ----------------------------------------------------------------------------- HAProxy

def find_haproxy() -> str | None:
    return shutil.which("haproxy") or next(
        (p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(p, os.X_OK)),
        None)


def ensure_haproxy(install: bool = True) -> str:
    """The haproxy binary; installed with apt-get (Debian's package) if missing."""
    found = find_haproxy()
    if found or not install:
        if found:
            return found
        raise ClusterError("HAProxy is not installed: run `apt-get install haproxy` "
                           "(or start deploy/local_cluster.py, which installs it)")
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise ClusterError("HAProxy is not installed and this script can only install it as "
                           "root on Debian: run `sudo apt-get install haproxy`, then retry")
    print("--- HAProxy is missing: installing Debian's package with apt-get", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "haproxy"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode:
            raise ClusterError(f"`{' '.join(cmd)}` failed:\n{done.stdout}{done.stderr}")
    found = find_haproxy()
    if not found:
        raise ClusterError("apt-get installed haproxy, but no haproxy binary was found")
    return found


def admin_command(sock_path: Path, command: str, timeout: float = 5.0) -> str:
    """One command on HAProxy's admin socket (``show stat``, ``shutdown sessions server``)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(str(sock_path))
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


# ----------------------------------------------------------------------------- processes

def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return True
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """In the child: SIGTERM it if this script dies, even by SIGKILL (Linux prctl)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG


@dataclass
class Proc:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, sig: int = signal.SIGTERM, wait_s: float = 10.0) -> None:
        """Signal the whole process group; SIGKILL it if it lingers."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=wait_s)


def spawn(name: str, port: int, cmd: list[str], logdir: Path, env: dict | None = None) -> Proc:
    log = logdir / f"{name}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True,
                                   preexec_fn=_die_with_parent)
    return Proc(name, port, process, log)


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


# ----------------------------------------------------------------------------- the cluster

class Cluster:
    """``replicas`` Streamlit processes behind one HAProxy; a context manager.

    ``port=0`` (and ``stats_port=0``) pick free ports, as the tests and benches do.
    """

    def __init__(self, replicas: int, *, port: int = 0, stats_port: int = 0,
                 install: bool = True, st_options: list[str] = (), quiet: bool = True):
        if not 1 <= replicas <= 64:
            raise ClusterError(f"--replicas must be between 1 and 64, not {replicas}")
        self.replicas_wanted = replicas
        self.port, self.stats_port = port, stats_port
        self.install, self.st_options, self.quiet = install, list(st_options), quiet
        self.replicas: list[Proc] = []
        self.proxy: Proc | None = None
        self.workdir = Path(tempfile.mkdtemp(prefix="ce-cluster-"))
        self.admin_socket = self.workdir / "admin.sock"
        self.cookie_secret = secrets.token_hex(16)   # one signing secret for all

    # -------------------------------------------------------------- ports

    def _choose_ports(self) -> list[int]:
        """The proxy's, the stats page's and each replica's port; all free, or a clear error."""
        if self.port:
            replica_ports = [self.port + i for i in range(1, self.replicas_wanted + 1)]
        else:
            self.port = free_port()
            replica_ports = []
            while len(replica_ports) < self.replicas_wanted:
                p = free_port()
                if p not in (self.port, *replica_ports):
                    replica_ports.append(p)
        self.stats_port = self.stats_port or free_port()
        named = [("the proxy (--port)", self.port), ("the stats page (--stats-port)",
                                                      self.stats_port)]
        named += [(f"replica {i}", p) for i, p in enumerate(replica_ports, start=1)]
        busy = [f"{what}: {HOST}:{p}" for what, p in named if port_in_use(p)]
        if busy:
            raise ClusterError("port already in use, so nothing was started — "
                               + "; ".join(busy) + ". Stop the program that holds it, or "
                               "choose other ports with --port / --stats-port.")
        return replica_ports

    # -------------------------------------------------------------- start and stop

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> "Cluster":
        haproxy = ensure_haproxy(self.install)
        ports = self._choose_ports()
        try:
            self._start_replicas(ports)
            self._start_proxy(haproxy, ports)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_replicas(self, ports: list[int]) -> None:
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret}
        extra = [o if o.startswith("--") else f"--{o}" for o in self.st_options]
        for i, port in enumerate(ports, start=1):
            cmd = [sys.executable, "-m", "streamlit", "run", "app.py",
                   "--server.port", str(port), "--server.address", HOST,
                   "--server.headless", "true", "--browser.gatherUsageStats", "false",
                   # files change under a running class (tests, git pull): never rerun pages
                   "--server.fileWatcherType", "none", *extra]
            self.replicas.append(spawn(f"app{i}", port, cmd, self.workdir, env))
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        for replica in self.replicas:
            while not healthy(f"http://{HOST}:{replica.port}"):
                if not replica.alive() or time.monotonic() > deadline:
                    raise ClusterError(f"replica {replica.name} on port {replica.port} did not "
                                       "become healthy. Its output:\n"
                                       + replica.log.read_text(errors="replace")[-3000:])
                time.sleep(0.1)

    def _start_proxy(self, haproxy: str, ports: list[int]) -> None:
        cfg = self.workdir / "haproxy.cfg"
        cfg.write_text(local_config(ports, self.port, self.stats_port, self.admin_socket),
                       encoding="utf-8")
        check = subprocess.run([haproxy, "-c", "-q", "-f", str(cfg)], capture_output=True,
                               text=True)
        if check.returncode:
            raise ClusterError(f"HAProxy refused {cfg}:\n{check.stdout}{check.stderr}")
        # -W -db: master-worker in the foreground, so stopping our process stops it all
        self.proxy = spawn("haproxy", self.port, [haproxy, "-W", "-db", "-f", str(cfg)],
                           self.workdir)
        deadline = time.monotonic() + 15
        while not (healthy(self.url) and self.admin_socket.exists()):
            if not self.proxy.alive() or time.monotonic() > deadline:
                raise ClusterError("HAProxy did not start. Its output:\n"
                                   + self.proxy.log.read_text(errors="replace")[-3000:])
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the proxy, then every replica; leaves nothing running."""
        for proc in ([self.proxy] if self.proxy else []) + self.replicas:
            proc.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "Cluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -------------------------------------------------------------- looking and faults

    def servers(self) -> dict[str, dict[str, str]]:
        """HAProxy's view of each replica: {name: {"status": "UP", "scur": "3", ...}}."""
        lines = admin_command(self.admin_socket, "show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
        return {r["svname"]: r for r in rows
                if r["pxname"] == "streamlit" and r["svname"] not in ("FRONTEND", "BACKEND")}

    def drop_connections(self) -> None:
        """Cut every student's connection (a network blip); the replicas stay up."""
        for replica in self.replicas:
            admin_command(self.admin_socket, f"shutdown sessions server streamlit/{replica.name}")

    def kill(self, index: int) -> Proc:
        """SIGKILL replica ``index`` (0-based), as a crash would."""
        replica = self.replicas[index]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(replica.process.pid, signal.SIGKILL)
        replica.process.wait(timeout=10)
        return replica


# ----------------------------------------------------------------------------- the command

def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP end the script like Ctrl-C, so ``finally`` stops the cluster."""
    def handler(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


def watch(cluster: Cluster) -> int:
    """Run until the proxy or every replica has died: a dead replica's students are sent to
    the others, so one crash does not end the lecture (it is reported)."""
    reported: set[str] = set()
    while cluster.proxy.alive() and any(r.alive() for r in cluster.replicas):
        for replica in cluster.replicas:
            if not replica.alive() and replica.name not in reported:
                reported.add(replica.name)
                print(f"replica {replica.name} exited (code {replica.process.returncode}); "
                      "its students are sent to the others. Log:\n"
                      + replica.log.read_text(errors="replace")[-1500:], file=sys.stderr,
                      flush=True)
        time.sleep(0.5)
    print("the proxy exited" if not cluster.proxy.alive() else "every replica exited",
          "; stopping the rest", sep="", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8500,
                        help="the proxy's port; replicas use the next ones (default 8500)")
    parser.add_argument("--stats-port", type=int, default=8404, help="HAProxy's stats page")
    parser.add_argument("--no-install", action="store_true",
                        help="fail instead of installing HAProxy with apt-get")
    parser.add_argument("--st-option", action="append", default=[], metavar="KEY=VALUE",
                        help="extra `streamlit run` option for every replica")
    args = parser.parse_args(argv)
    _stop_on_signals()
    cluster = Cluster(args.replicas, port=args.port, stats_port=args.stats_port,
                      install=not args.no_install, st_options=args.st_option)
    try:
        cluster.start()
        print(f"{args.replicas} replicas behind HAProxy: open {cluster.url}", flush=True)
        for r in cluster.replicas:
            print(f"  {r.name}: http://{HOST}:{r.port} (pid {r.process.pid})", flush=True)
        print(f"  stats: http://{HOST}:{cluster.stats_port}/ · Ctrl-C stops everything",
              flush=True)
        return watch(cluster)
    except ClusterError as err:
        print(f"local_cluster: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopping", flush=True)
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
