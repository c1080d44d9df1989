#!/usr/bin/env python3
"""ci/bench's measurements: standin against Prism, the real Barbican and a bare hyper server, on
this machine, in one run. Writes target/bench/report.md, target/bench/results.json and
target/bench/throughput.svg (with --publish, also docs/bench.md and docs/bench-throughput.svg).

Every ratio in the report is computed from numbers measured in this run: figures from different
runs or machines are never compared. The load generator (wrk) shares the two cores with the
server it loads, for every server alike.

Environment: BENCH_DURATION (seconds per wrk run, default 10), BENCH_CONNECTIONS (default
"1,16,64"), BENCH_SIZES (orders for the list-latency runs, default "1000,100000,1000000").
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench"
RELEASE = ROOT / "target" / "release"
PRISM = OUT / "tools" / "node_modules" / ".bin" / "prism"
REAL_BARBICAN = ROOT.parent / "shared" / "tools" / "real-barbican"

DURATION = int(os.environ.get("BENCH_DURATION", "10"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "1,16,64").split(",")]
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000,100000,1000000").split(",")]
PROJECT = "bench-project"
BARBICAN_HEADERS = {"X-Project-Id": PROJECT}
MARKETPLACE_TOKEN = "marketplace-token"
ORCHESTRATOR_TOKEN = "orchestrator-user-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port, path="/", headers=None, limit=60.0, ok=lambda status: status < 500):
    """Poll until the server answers; return the seconds it took."""
    started = time.monotonic()
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path, headers=headers or {})
            status = conn.getresponse().status
            conn.close()
            if ok(status):
                return time.monotonic() - started
        except OSError:
            pass
        if time.monotonic() - started > limit:
            raise RuntimeError(f"nothing answered on port {port}{path} within {limit}s")
        time.sleep(0.001)


def request(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def process_tree(pid):
    """The pid and all its descendants."""
    pids, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            children = []
        for child in map(int, children):
            pids.append(child)
            frontier.append(child)
    return pids


def memory_kib(pid, field):
    """Sum of a /proc status field (VmHWM: peak RSS, VmRSS: current) over a process tree."""
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def wrk(url, connections, headers=None, script=None, duration=DURATION):
    cmd = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def latency(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return None
        value, unit = float(m.group(1)), m.group(2)
        return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return {"rps": rps, "p50_ms": latency("50"), "p99_ms": latency("99"), "errors": errors}


class Server:
    """A server under test: started, measured, stopped."""

    def __init__(self, name, cmd, port, ready_path="/", ready_headers=None, env=None, cwd=None):
        self.name, self.port = name, port
        log = open(OUT / f"{name}.log", "w")
        self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)
        self.started_in = wait_http(port, ready_path, ready_headers)

    def peak_rss_mib(self):
        return memory_kib(self.proc.pid, "VmHWM") / 1024

    def rss_mib(self):
        return memory_kib(self.proc.pid, "VmRSS") / 1024

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.proc.pid, signal.SIGKILL)


def standin_cmd(data_dir, ports, *extra):
    b, m, o = ports
    return [str(RELEASE / "standin"), "--log", "warn", "serve", "--data-dir", str(data_dir),
            "--barbican-listen", f"127.0.0.1:{b}", "--marketplace-listen", f"127.0.0.1:{m}",
            "--orchestrator-listen", f"127.0.0.1:{o}", *extra]


def seed(data_dir, orders):
    started = time.monotonic()
    subprocess.run([str(RELEASE / "bench-seed"), "--data-dir", str(data_dir), "--project", PROJECT,
                    "--orders", str(orders)], check=True, capture_output=True)
    return time.monotonic() - started


POST_SCRIPT = OUT / "post-order.lua"


def write_post_script():
    body = json.dumps({"type": "key", "meta": {"name": "bench", "algorithm": "aes", "bit_length": 256, "mode": "cbc"}})
    POST_SCRIPT.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
    )


def run_matrix(results, server, endpoints):
    """endpoints: (label, path, headers, script)"""
    for label, path, headers, script in endpoints:
        for c in CONNECTIONS:
            r = wrk(f"http://127.0.0.1:{server.port}{path}", c, headers, script)
            r.update(server=server.name, endpoint=label, connections=c)
            results["runs"].append(r)
            print(f"  {server.name:<14} {label:<34} c={c:<3} {r['rps']:>10.0f} req/s  p50 {r['p50_ms']:.2f} ms  "
                  f"p99 {r['p99_ms']:.2f} ms  errors {r['errors']}", flush=True)
    results["memory"][server.name] = round(server.peak_rss_mib(), 1)


def cold_start(results):
    times = []
    for _ in range(5):
        data = Path(tempfile.mkdtemp(dir=OUT))
        ports = (free_port(), free_port(), free_port())
        started = time.monotonic()
        proc = subprocess.Popen(standin_cmd(data, ports), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(ports[0], "/v1/orders", {"X-Project-Id": PROJECT}, ok=lambda s: s == 200)
        times.append((time.monotonic() - started) * 1000)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        shutil.rmtree(data)
    results["cold_start_ms"] = {"median": round(statistics.median(times), 1), "all": [round(t, 1) for t in times]}
    print(f"  cold start to the first answered request: median {statistics.median(times):.1f} ms ({times})")


def list_by_size(results):
    rows = []
    for n in SIZES:
        data = Path(tempfile.mkdtemp(dir=OUT))
        seconds = seed(data, n)
        ports = (free_port(), free_port(), free_port())
        # The cache of finished pages would hide the store: these runs read the database every time.
        srv = Server(f"standin-{n}", standin_cmd(data, ports, "--barbican-list-cache", "false"), ports[0], "/_standin/health")
        h = {"X-Project-Id": PROJECT}
        first = wrk(f"http://127.0.0.1:{srv.port}/v1/orders?limit=10", 1, h, duration=max(3, DURATION // 2))
        last = wrk(f"http://127.0.0.1:{srv.port}/v1/orders?limit=10&offset={n - 10}", 1, h, duration=max(3, DURATION // 2))
        row = {"orders": n, "seed_s": round(seconds, 1), "first_page_p50_ms": first["p50_ms"],
               "first_page_p99_ms": first["p99_ms"], "last_page_p50_ms": last["p50_ms"], "last_page_p99_ms": last["p99_ms"],
               "rss_mib": round(srv.rss_mib(), 1), "db_mib": round(sum(f.stat().st_size for f in data.iterdir()) / 2**20, 1)}
        rows.append(row)
        print(f"  {n:>9} orders: first page p50 {first['p50_ms']:.3f} ms, last page p50 {last['p50_ms']:.3f} ms, "
              f"RSS {row['rss_mib']} MiB", flush=True)
        srv.stop()
        shutil.rmtree(data)
    results["list_by_size"] = rows


def svg_chart(results, path):
    """Grouped bars: requests/s of GET /v1/orders?limit=10 per server and connection count."""
    runs = [r for r in results["runs"] if r["endpoint"] == "GET /v1/orders?limit=10"]
    servers = list(dict.fromkeys(r["server"] for r in runs))
    top = max(r["rps"] for r in runs) or 1
    width, height, left, bottom = 760, 360, 70, 300
    group = (width - left - 20) / max(1, len(servers))
    bar = group / (len(CONNECTIONS) + 1)
    colours = ["#93c5fd", "#3b82f6", "#1e3a8a"]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14">GET /v1/orders?limit=10: requests/s (log scale) by connections</text>']
    import math
    scale = lambda v: (math.log10(max(v, 1)) / math.log10(max(top, 10))) * (bottom - 40)
    for tick in [10, 100, 1000, 10000, 100000]:
        if tick <= top * 1.01:
            y = bottom - scale(tick)
            parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e7eb"/>')
            parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:,}</text>')
    for i, name in enumerate(servers):
        x0 = left + i * group + bar / 2
        for j, c in enumerate(CONNECTIONS):
            r = next((r for r in runs if r["server"] == name and r["connections"] == c), None)
            if not r:
                continue
            h = scale(r["rps"])
            x = x0 + j * bar
            parts.append(f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" fill="{colours[j % 3]}"/>')
            parts.append(f'<text x="{x + bar / 2 - 1:.1f}" y="{bottom - h - 3:.1f}" text-anchor="middle" font-size="9">{r["rps"]:,.0f}</text>')
        parts.append(f'<text x="{x0 + len(CONNECTIONS) * bar / 2:.1f}" y="{bottom + 16}" text-anchor="middle">{name}</text>')
    for j, c in enumerate(CONNECTIONS):
        parts.append(f'<rect x="{left + j * 90}" y="{bottom + 30}" width="12" height="12" fill="{colours[j % 3]}"/>')
        parts.append(f'<text x="{left + j * 90 + 16}" y="{bottom + 40}">{c} conn.</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts))


def two_instances_on_postgres(results, pg_url):
    """Two standins on one PostgreSQL database behind nginx (round robin), as a team would run them (issue 11)."""
    print("standin ×2 on PostgreSQL behind nginx, 10,000 stored orders, --fixtures docs", flush=True)
    schema = f"bench_{os.getpid()}"
    subprocess.run([str(RELEASE / "bench-seed"), "--database-url", pg_url, "--database-schema", schema,
                    "--project", PROJECT, "--orders", "10000"], check=True, capture_output=True)
    instances, upstreams = [], {"barbican": [], "marketplace": [], "orchestrator": []}
    for n in range(2):
        ports = (free_port(), free_port(), free_port())
        cmd = [str(RELEASE / "standin"), "--log", "warn", "serve", "--database-url", pg_url, "--database-schema", schema,
               "--barbican-listen", f"127.0.0.1:{ports[0]}", "--marketplace-listen", f"127.0.0.1:{ports[1]}",
               "--orchestrator-listen", f"127.0.0.1:{ports[2]}", "--fixtures", "docs"]
        instances.append(Server(f"standin-pg-{n}", cmd, ports[0], "/_standin/health"))
        for api, port in zip(upstreams, ports):
            upstreams[api].append(port)
    front = {api: free_port() for api in upstreams}
    conf_dir = Path(tempfile.mkdtemp(dir=OUT))
    lines = [f"worker_processes 1; pid {conf_dir}/nginx.pid; error_log {conf_dir}/error.log warn; daemon off;",
             "events { worker_connections 4096; }",
             f"http {{ access_log off; client_body_temp_path {conf_dir}/body; proxy_temp_path {conf_dir}/proxy;",
             f"  fastcgi_temp_path {conf_dir}/f; uwsgi_temp_path {conf_dir}/u; scgi_temp_path {conf_dir}/s;"]
    for api, ports in upstreams.items():
        servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
        lines.append(f"  upstream {api} {{ {servers} keepalive 64; }}")
        lines.append(f"  server {{ listen 127.0.0.1:{front[api]}; location / {{ proxy_pass http://{api}; "
                     "proxy_http_version 1.1; proxy_set_header Connection \"\"; } }")
    lines.append("}")
    (conf_dir / "nginx.conf").write_text("\n".join(lines) + "\n")
    nginx = Server("standin-pg×2", ["nginx", "-p", str(conf_dir), "-c", str(conf_dir / "nginx.conf")],
                   front["barbican"], "/_standin/health")
    try:
        measure_behind_balancer(results, nginx, front, instances)
    finally:
        # Stopped whatever happened, so a failed run leaves no server behind.
        nginx.stop()
        for instance in instances:
            instance.stop()
        shutil.rmtree(conf_dir)


def measure_behind_balancer(results, nginx, front, instances):
    status, body = request(front["barbican"], "GET", "/v1/orders?limit=10", {"X-Project-Id": PROJECT})
    assert status == 200, status
    first_id = json.loads(body)["orders"][0]["order_ref"].rsplit("/", 1)[1]
    for label, api, path, headers, script in [
        ("GET /v1/orders?limit=10", "barbican", "/v1/orders?limit=10", BARBICAN_HEADERS, None),
        ("GET /v1/orders/{id}", "barbican", f"/v1/orders/{first_id}", BARBICAN_HEADERS, None),
        ("POST /v1/orders", "barbican", "/v1/orders", BARBICAN_HEADERS, POST_SCRIPT),
        ("GET /deployments", "orchestrator", "/deployments", {"Authorization": f"Bearer {ORCHESTRATOR_TOKEN}"}, None),
        ("GET public-clouds?page=1&per_page=10", "marketplace", "/api/v1/marketplace/public-clouds?page=1&per_page=10",
         {"Authorization": f"Bearer {MARKETPLACE_TOKEN}"}, None),
    ]:
        nginx.port = front[api]
        run_matrix(results, nginx, [(label, path, headers, script)])
    # The balancer's own memory is not standin's: report the two instances'.
    results["memory"]["standin-pg×2"] = round(sum(i.peak_rss_mib() for i in instances), 1)


def report(results):
    runs = results["runs"]

    def rps(server, endpoint, c):
        r = next((r for r in runs if r["server"] == server and r["endpoint"] == endpoint and r["connections"] == c), None)
        return r["rps"] if r else None

    lines = ["# Benchmarks", "",
             f"Measured by `ci/bench` on {results['machine']}, {results['date']}. wrk {DURATION} s per run, "
             "on the same two cores as the server. standin is the release build with `--log warn` (no per-request log "
             "lines); Prism runs `prism mock -v error`. Ratios are within this run.", "",
             "## Throughput and latency", "",
             "| server | endpoint | conn. | req/s | p50 ms | p99 ms | errors |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in runs:
        lines.append(f"| {r['server']} | `{r['endpoint']}` | {r['connections']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | "
                     f"{r['p99_ms']:.2f} | {r['errors']} |")
    if any(r["server"] == "standin-pg×2" for r in runs):
        lines += ["", "`standin-pg×2` is two standin instances on one PostgreSQL server (this machine, loopback, a "
                  "temporary cluster) behind nginx (round robin, upstream keep-alive), the setup a team sharing one "
                  "sandbox runs; its list cache is off (other instances write the same tables), so every list reads "
                  "the database, and nginx and PostgreSQL share the two cores with the instances and wrk. Its memory "
                  "below is the two instances' together."]
    lines += ["", "![throughput](bench-throughput.svg)", "", "## Peak memory (RSS of the process tree)", "",
              "| server | peak RSS MiB |", "|---|---:|"]
    for name, mib in results["memory"].items():
        lines.append(f"| {name} | {mib} |")
    lines += ["", "## List latency by store size (one connection, list cache off: every request reads the database)", "",
              "| orders | first page p50 ms | p99 ms | last page p50 ms | p99 ms | RSS MiB | database MiB |",
              "|---:|---:|---:|---:|---:|---:|---:|"]
    for row in results.get("list_by_size", []):
        lines.append(f"| {row['orders']:,} | {row['first_page_p50_ms']:.3f} | {row['first_page_p99_ms']:.3f} | "
                     f"{row['last_page_p50_ms']:.3f} | {row['last_page_p99_ms']:.3f} | {row['rss_mib']} | {row['db_mib']} |")
    lines += ["", "The first page is an index range scan, so it costs the same at any store size. The last page is "
              "`offset = total - 10`: SQLite's OFFSET steps over every earlier index entry, so its cost grows with the "
              "offset, as it does on the real Barbican (the same LIMIT/OFFSET query); a deep page is not a target."]
    cold = results.get("cold_start_ms", {})
    lines += ["", f"Cold start to the first answered `GET /v1/orders`: median {cold.get('median')} ms "
              f"(runs: {cold.get('all')}).", "", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    ep = "GET /v1/orders?limit=10"
    targets = []
    for c in CONNECTIONS:
        s, p, b, h = rps("standin", ep, c), rps("prism", ep, c), rps("real-barbican", ep, c), rps("bare-hyper", ep, c)
        if s and p:
            targets.append((f"list ≥ 20× Prism ({c} conn.)", f"{s / p:.1f}×", s / p >= 20))
        if s and b:
            targets.append((f"list ≥ 50× real Barbican ({c} conn.)", f"{s / b:.1f}×", s / b >= 50))
        if s and h:
            targets.append((f"list ≥ 50% of bare hyper ({c} conn.)", f"{100 * s / h:.0f}%", s / h >= 0.5))
    p99 = next((r["p99_ms"] for r in runs if r["server"] == "standin" and r["endpoint"] == ep and r["connections"] == 64), None)
    if p99 is not None:
        targets.append(("list p99 at 64 conn. < 5 ms", f"{p99:.2f} ms", p99 < 5))
    sizes = results.get("list_by_size", [])
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        ratio = large["first_page_p50_ms"] / small["first_page_p50_ms"]
        targets.append((f"list (first page, from the database) at {large['orders']:,} within 1.5× of {small['orders']:,}",
                        f"{ratio:.2f}×", ratio <= 1.5))
        targets.append((f"memory after {large['orders']:,} orders", f"{large['rss_mib']} MiB RSS", True))
    if cold:
        targets.append(("cold start < 200 ms", f"{cold['median']} ms", cold["median"] < 200))
    for name, value, met in targets:
        lines.append(f"| {name} | {value} | {'yes' if met else '**no**'} |")
    results["targets"] = [{"target": n, "measured": v, "met": m} for n, v, m in targets]
    return "\n".join(lines) + "\n"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    write_post_script()
    results = {"runs": [], "memory": {},
               "machine": f"{os.cpu_count()} cores, {subprocess.run(['uname', '-sr'], capture_output=True, text=True).stdout.strip()}",
               "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}

    print("standin (release), 10,000 stored orders, --fixtures docs", flush=True)
    data = Path(tempfile.mkdtemp(dir=OUT))
    seed(data, 10_000)
    ports = (free_port(), free_port(), free_port())
    standin = Server("standin", standin_cmd(data, ports, "--fixtures", "docs"), ports[0], "/_standin/health")
    status, body = request(ports[0], "GET", "/v1/orders?limit=10", {"X-Project-Id": PROJECT})
    assert status == 200, status
    (OUT / "list-body.json").write_bytes(body)
    first_id = json.loads(body)["orders"][0]["order_ref"].rsplit("/", 1)[1]
    barbican_endpoints = [
        ("GET /v1/orders?limit=10", "/v1/orders?limit=10", BARBICAN_HEADERS, None),
        ("GET /v1/orders/{id}", f"/v1/orders/{first_id}", BARBICAN_HEADERS, None),
        ("POST /v1/orders", "/v1/orders", BARBICAN_HEADERS, POST_SCRIPT),
    ]
    run_matrix(results, standin, barbican_endpoints)
    # The other two APIs live on their own listeners of the same process.
    for label, port, path, headers in [
        ("GET /deployments", ports[2], "/deployments", {"Authorization": f"Bearer {ORCHESTRATOR_TOKEN}"}),
        ("GET public-clouds?page=1&per_page=10", ports[1], "/api/v1/marketplace/public-clouds?page=1&per_page=10",
         {"Authorization": f"Bearer {MARKETPLACE_TOKEN}"}),
    ]:
        standin.port = port
        run_matrix(results, standin, [(label, path, headers, None)])
    standin.port = ports[0]
    standin.stop()
    shutil.rmtree(data)

    pg_url = os.environ.get("BENCH_POSTGRES_URL")
    if pg_url:
        two_instances_on_postgres(results, pg_url)

    print("bare hyper (the ceiling), the same list body", flush=True)
    port = free_port()
    hyper = Server("bare-hyper", [str(RELEASE / "bench-ceiling"), "--listen", f"127.0.0.1:{port}",
                                  "--body-file", str(OUT / "list-body.json")], port)
    run_matrix(results, hyper, [("GET /v1/orders?limit=10", "/v1/orders?limit=10", None, None)])
    hyper.stop()

    print("Prism 5.14.2 (prism mock -v error) on the same contracts", flush=True)
    for contract, label, path, headers in [
        ("barbican", "GET /v1/orders?limit=10", "/v1/orders?limit=10", BARBICAN_HEADERS),
        ("orchestrator", "GET /deployments", "/deployments", {"Authorization": f"Bearer {ORCHESTRATOR_TOKEN}"}),
        ("marketplace", "GET public-clouds?page=1&per_page=10", "/api/v1/marketplace/public-clouds?page=1&per_page=10",
         {"Authorization": f"Bearer {MARKETPLACE_TOKEN}"}),
    ]:
        port = free_port()
        prism = Server("prism", [str(PRISM), "mock", "-h", "127.0.0.1", "-p", str(port), "-v", "error",
                                 str(ROOT / "openapi" / f"{contract}.yaml")], port, path, headers)
        run_matrix(results, prism, [(label, path, headers, None)])
        prism.stop()

    print("the real Barbican 21.0.0 (no-auth, SQLite, uWSGI)", flush=True)
    port = free_port()
    env = dict(os.environ, REAL_BARBICAN_PORT=str(port), REAL_BARBICAN_RUN=str(OUT / "real-barbican-run"),
               REAL_BARBICAN_FRESH="1")
    subprocess.run([str(REAL_BARBICAN / "start.sh")], env=env, check=True, capture_output=True)
    pid = int((OUT / "real-barbican-run" / "pid").read_text())
    post = json.dumps({"type": "key", "meta": {"name": "bench", "algorithm": "aes", "bit_length": 256, "mode": "cbc"}})
    real_orders = int(os.environ.get("BENCH_REAL_ORDERS", "1000"))
    for _ in range(real_orders):
        request(port, "POST", "/v1/orders", {"X-Project-Id": PROJECT, "Content-Type": "application/json"}, post)
    _, body = request(port, "GET", "/v1/orders?limit=10", {"X-Project-Id": PROJECT})
    real_id = json.loads(body)["orders"][0]["order_ref"].rsplit("/", 1)[1]
    real = Server.__new__(Server)
    real.name, real.port = "real-barbican", port
    real.proc = type("P", (), {"pid": pid})()
    run_matrix(results, real, [
        ("GET /v1/orders?limit=10", "/v1/orders?limit=10", BARBICAN_HEADERS, None),
        ("GET /v1/orders/{id}", f"/v1/orders/{real_id}", BARBICAN_HEADERS, None),
        ("POST /v1/orders", "/v1/orders", BARBICAN_HEADERS, POST_SCRIPT),
    ])
    results["real_barbican_orders"] = real_orders
    subprocess.run([str(REAL_BARBICAN / "stop.sh")], env=env, capture_output=True)

    print("cold start", flush=True)
    cold_start(results)
    print("list latency by store size", flush=True)
    list_by_size(results)

    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    text = report(results)
    (OUT / "report.md").write_text(text)
    svg_chart(results, OUT / "bench-throughput.svg")
    if "--publish" in sys.argv:
        (ROOT / "docs" / "bench.md").write_text(text)
        shutil.copy(OUT / "bench-throughput.svg", ROOT / "docs" / "bench-throughput.svg")
    print(text)


if __name__ == "__main__":
    main()
