"""deploy/: the container, compose, Kubernetes and the local cluster agree with each other and
with the app, and deploy/local_cluster.py starts, keeps affinity, survives a dead replica and
stops everything it started.

HAProxy (Debian's package, which .ci/run installs) is needed for the live tests; without it
they skip here and fail in CI.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(DEPLOY))

import local_cluster  # noqa: E402

K8S_VERSION = "1.37.0"         # the schemas kubernetes-validate ships
HEALTH = "/_stcore/health"


def manifests() -> dict[str, dict]:
    docs = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            docs[doc["kind"]] = doc
    return docs


def haproxy() -> str:
    found = local_cluster.find_haproxy()
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("haproxy is missing: .ci/run installs Debian's package", pytrace=False)
        pytest.skip("haproxy is not installed (apt-get install haproxy)")
    return found


# ----------------------------------------------------------------------------- one proxy config

def test_compose_config_is_the_template_rendered_for_compose():
    assert (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8") == local_cluster.compose_config(), \
        "deploy/haproxy.cfg is stale: write local_cluster.compose_config() into it"


def test_local_and_compose_configs_differ_only_in_addresses(tmp_path):
    local = local_cluster.local_config([9001, 9002], 9000, 9003, tmp_path / "admin.sock")
    compose = local_cluster.compose_config()
    placeholders = re.compile(r"^\s*(bind |server |server-template |stats socket |nameserver |"
                              r"hold |resolvers )")

    def rules(cfg: str) -> list[str]:
        return [line.strip() for line in cfg.splitlines() if line and not placeholders.match(line)]

    assert rules(local) == rules(compose)
    for rule in ("cookie ce_replica insert indirect nocache httponly dynamic",
                 "option httpchk GET /_stcore/health", "timeout tunnel 1h", "option redispatch 1"):
        assert rule in rules(local)
    assert "server app1 127.0.0.1:9001" in local and "server app2 127.0.0.1:9002" in local


def test_haproxy_accepts_both_configs(tmp_path):
    binary = haproxy()
    local = tmp_path / "local.cfg"
    local.write_text(local_cluster.local_config([9001], 9000, 9002, tmp_path / "a.sock"))
    for cfg in (local, DEPLOY / "haproxy.cfg"):
        done = subprocess.run([binary, "-c", "-f", str(cfg)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_compose_pins_the_proxy_that_debian_installs_and_mounts_the_config():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    proxy, app = compose["services"]["proxy"], compose["services"]["app"]
    image, _, tag = proxy["image"].partition(":")
    assert image == "haproxy" and re.fullmatch(r"\d+\.\d+\.\d+", tag), "pin an exact version"
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in proxy["volumes"]
    assert proxy["depends_on"]["app"]["condition"] == "service_healthy"
    assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
    assert 1 <= app["deploy"]["replicas"] <= local_cluster.COMPOSE_REPLICAS_MAX
    if local_cluster.find_haproxy():
        shown = subprocess.run([local_cluster.find_haproxy(), "-v"], capture_output=True,
                               text=True).stdout
        assert f"version {tag}-" in shown or f"version {tag} " in shown, shown.splitlines()[0]


def test_dockerfile_has_the_shape_of_streamlits_own():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.\d+-slim$", text, re.M)
    assert "pip3 install --no-cache-dir -r requirements.txt" in text
    assert re.search(r"^HEALTHCHECK .*\n?.*localhost:8501/_stcore/health", text, re.M)
    assert re.search(r"^USER 10001$", text, re.M)
    assert '"streamlit", "run", "app.py"' in text and '"--server.address=0.0.0.0"' in text
    copied = {m.rstrip("/") for m in re.findall(r"^COPY (\S+) ", text, re.M)}
    for path in copied:
        assert (ROOT / path).exists(), f"the Dockerfile copies {path}, which does not exist"
    # every package the app imports from the repository is in the image
    for package in ("ce_core", "charts", "pages", "ui", ".streamlit", "app.py"):
        assert package in copied


# ----------------------------------------------------------------------------- Kubernetes

def test_kubernetes_manifests_are_valid_against_the_api_schema():
    # kubectl apply --dry-run=client needs a cluster's API to map kinds; kubernetes-validate
    # checks the same documents against the OpenAPI schemas offline, unknown fields included.
    docs = manifests()
    assert set(docs) == {"Deployment", "Service", "Ingress"}
    for kind, doc in docs.items():
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_kubernetes_probes_service_and_ingress_fit_together():
    docs = manifests()
    deployment, service, ingress = docs["Deployment"], docs["Service"], docs["Ingress"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"] == {"path": HEALTH, "port": "http"}
    assert {"name": "http", "containerPort": 8501} in container["ports"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"]["name"] == service["spec"]["ports"][0]["name"]
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == "ce_replica"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    # the app accepts 20 MB uploads; ingress-nginx's default body limit is 1 MB
    assert int(notes["nginx.ingress.kubernetes.io/proxy-body-size"].rstrip("m")) >= 20
    secret = container["env"][0]
    assert secret["name"] == "STREAMLIT_SERVER_COOKIE_SECRET" and "secretKeyRef" in secret["valueFrom"]


# ----------------------------------------------------------------------------- the local cluster

def test_a_port_in_use_stops_the_cluster_before_anything_starts():
    haproxy()
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        done = subprocess.run([sys.executable, str(DEPLOY / "local_cluster.py"), "--replicas", "2",
                               "--port", str(port), "--no-install"],
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"port already in use, so nothing was started — the proxy (--port): 127.0.0.1:{port}" \
        in done.stderr
    assert "--port" in done.stderr        # and says how to fix it


def cookie_of(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(body, the ce_replica cookie the proxy set) of GET /_stcore/health."""
    request = urllib.request.Request(url + HEALTH)
    if cookie:
        request.add_header("Cookie", f"ce_replica={cookie}")
    with urllib.request.urlopen(request, timeout=10) as response:
        found = re.search(r"ce_replica=([^;]+)", " ".join(response.headers.get_all("Set-Cookie")
                                                          or []))
        return response.read().decode(), found.group(1) if found else None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:          # a zombie is dead too
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_cluster_keeps_affinity_survives_a_dead_replica_and_stops_on_sigterm():
    haproxy()
    port = local_cluster.free_port()
    while any(local_cluster.port_in_use(port + i) for i in range(3)):
        port = local_cluster.free_port()
    cli = subprocess.Popen([sys.executable, str(DEPLOY / "local_cluster.py"), "--replicas", "2",
                            "--port", str(port), "--stats-port", str(local_cluster.free_port()),
                            "--no-install"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        lines = [cli.stdout.readline() for _ in range(3)]
        assert lines[0].startswith("2 replicas behind HAProxy"), lines + [cli.stderr.read()]
        pids = [int(re.search(r"pid (\d+)", line).group(1)) for line in lines[1:]]
        url = f"http://127.0.0.1:{port}"
        first, second = cookie_of(url)[1], cookie_of(url)[1]
        assert first and second and first != second, "round robin: two students, two replicas"
        assert cookie_of(url, first) == ("ok", None)    # a known cookie: same replica, kept

        os.killpg(pids[1], signal.SIGKILL)              # replica 2 crashes
        deadline = time.monotonic() + 10
        while alive(pids[1]) and time.monotonic() < deadline:
            time.sleep(0.02)
        moved = {cookie_of(url, c)[1] for c in (first, second)}
        # the dead replica's student is sent to the live one and gets its cookie
        assert None in moved and len(moved - {None}) == 1 and moved - {None} <= {first, second}
        time.sleep(1.5)
        assert cli.poll() is None, "one dead replica must not end the lecture"

        cli.send_signal(signal.SIGTERM)
        assert cli.wait(timeout=30) == 0
        assert "stopping" in cli.stdout.read()
        assert not alive(pids[0]), "the live replica was left running"
        assert not local_cluster.port_in_use(port) or not _answers(url), "HAProxy left running"
    finally:
        if cli.poll() is None:       # a failed assertion: stop it the way a user would
            cli.send_signal(signal.SIGTERM)
            try:
                cli.wait(timeout=30)
            except subprocess.TimeoutExpired:
                cli.kill()
                cli.wait()


def _answers(url: str) -> bool:
    try:
        cookie_of(url)
        return True
    except OSError:
        return False
