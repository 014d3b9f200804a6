#!/usr/bin/env python3
"""Load generator for `memport serve`: keep-alive HTTP/1.1 clients in separate processes
(no GIL contention), standard library only.

  load.py adds   URL KEY --clients 8 --seconds 10      single-message adds per second
  load.py fill   URL KEY --total N --hot 1000          N memories: 1000 for bench-user, the rest spread
  load.py pages  URL KEY --repeat 200                  latency of 100-memory get_all pages
"""

import argparse
import http.client
import json
import multiprocessing
import statistics
import sys
import time
import urllib.parse


def connect(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)


def call(conn, key, method, path, body=None):
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise RuntimeError(f"{method} {path}: {r.status} {data[:200]!r}")
    return json.loads(data)


def add_worker(args):
    url, key, worker, seconds, start_at = args
    conn = connect(url)
    while time.time() < start_at:
        time.sleep(0.001)
    n, i, deadline = 0, 0, start_at + seconds
    while time.time() < deadline:
        call(conn, key, "POST", "/v3/memories/add/",
             {"messages": [{"role": "user", "content": f"worker {worker} fact {i}"}],
              "user_id": f"load-{worker}", "infer": False})
        n += 1
        i += 1
    return n


def adds(a):
    start_at = time.time() + 1.0
    with multiprocessing.Pool(a.clients) as pool:
        counts = pool.map(add_worker, [(a.url, a.key, w, a.seconds, start_at) for w in range(a.clients)])
    total = sum(counts)
    print(json.dumps({"clients": a.clients, "seconds": a.seconds, "adds": total,
                      "adds_per_second": round(total / a.seconds, 1)}))


def fill_worker(args):
    url, key, batches = args
    conn = connect(url)
    for user, start, count in batches:
        call(conn, key, "POST", "/v3/memories/add/",
             {"messages": [{"role": "user", "content": f"memory {start + j} of {user} about topic {(start + j) % 97}"}
                           for j in range(count)],
              "user_id": user, "infer": False,
              "metadata": {"memport_import_key": f"{user}-{start}"}})
    return len(batches)


def fill(a):
    batches = [("bench-user", s, min(1000, a.hot - s)) for s in range(0, a.hot, 1000)]
    rest = a.total - a.hot
    users = max(1, rest // 1000)
    per_user, start = rest // users, 0
    for u in range(users):
        count = per_user if u < users - 1 else rest - per_user * (users - 1)
        for s in range(0, count, 1000):
            batches.append((f"user-{u}", s, min(1000, count - s)))
    chunks = [batches[i::a.clients] for i in range(a.clients)]
    t0 = time.time()
    with multiprocessing.Pool(a.clients) as pool:
        pool.map(fill_worker, [(a.url, a.key, c) for c in chunks])
    print(json.dumps({"filled": a.total, "seconds": round(time.time() - t0, 1)}))


def timed(conn, key, method, path, body, repeat):
    call(conn, key, method, path, body)  # warm
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        answer = call(conn, key, method, path, body)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return answer, {"median_ms": round(statistics.median(samples), 2),
                    "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2)}


def pages(a):
    conn = connect(a.url)
    out = {}
    answer, out["user_page5"] = timed(conn, a.key, "POST", "/v3/memories/?page=5&page_size=100",
                                      {"filters": {"user_id": "bench-user"}}, a.repeat)
    assert len(answer["results"]) == 100 and answer["count"] == 1000, answer["count"]
    answer, out["import_key_lookup_no_user"] = timed(
        conn, a.key, "POST", "/v2/memories/?page=1&page_size=100",
        {"filters": {"metadata": {"memport_import_key": "user-7-0"}}}, a.repeat)
    assert answer["count"] == 1000, answer["count"]
    answer, out["import_key_lookup_with_user"] = timed(
        conn, a.key, "POST", "/v2/memories/?page=1&page_size=100",
        {"filters": {"AND": [{"user_id": "user-7"}, {"metadata": {"memport_import_key": "user-7-0"}}]}}, a.repeat)
    assert answer["count"] == 1000, answer["count"]
    answer, out["v1_user_page"] = timed(conn, a.key, "GET", "/v1/memories/?user_id=bench-user&page=10&page_size=100",
                                        None, a.repeat)
    assert len(answer["results"]) == 100
    answer, out["all_users_page1"] = timed(conn, a.key, "POST", "/v3/memories/?page=1&page_size=100",
                                           {"filters": {"user_id": "*"}}, max(10, a.repeat // 10))
    out["all_users_count"] = answer["count"]
    print(json.dumps(out))


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("adds", "fill", "pages"):
        s = sub.add_parser(name)
        s.add_argument("url")
        s.add_argument("key")
        s.add_argument("--clients", type=int, default=8)
        s.add_argument("--seconds", type=float, default=10)
        s.add_argument("--total", type=int, default=10_000)
        s.add_argument("--hot", type=int, default=1000)
        s.add_argument("--repeat", type=int, default=200)
    a = p.parse_args()
    {"adds": adds, "fill": fill, "pages": pages}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
