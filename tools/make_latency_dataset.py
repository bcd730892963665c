#!/usr/bin/env python3
"""Generate content/datasets/latency.sql, the "latency" dataset of the performance labs.

Deterministic (fixed seed, standard library only, no network). Usage, from the
repository root:

    python3 tools/make_latency_dataset.py          # writes content/datasets/latency.sql
    python3 tools/make_latency_dataset.py -o FILE

One hour of an online shop's API, 2024-11-05 14:00 to 15:00 UTC:
- requests(id, endpoint, started_at, duration_ms, status): one row per request,
  ids in start order. endpoint is the route ('GET /orders', 'GET /products/{id}', ...);
  started_at is 'YYYY-MM-DD HH:MM:SS.SSS'; duration_ms has one decimal.
- query_log(id, request_id, sql, duration_ms): every SQL statement run by the traced
  requests, with parameters shown as '?'. Tracing samples about one request in three
  (health checks never), as production tracing usually does; a traced request that
  ran no SQL (a 422 or a 503) has no rows here.
Stories the labs rely on:
- 'GET /orders' has an N+1 problem: one query for the page of orders, then one
  'SELECT ... FROM customers WHERE id = ?' per order, so its latency grows with
  the page and its tail is long.
- A deploy at 14:30:00 added a reviews query to 'GET /products/{id}', which got
  slower from then on.
- A newsletter went out at 14:40; traffic roughly triples until about 14:45 and
  latencies rise, with some 503s.
"""

import argparse
import datetime as dt
import math
import os
import random

SEED = 20241105
START = dt.datetime(2024, 11, 5, 14, 0, 0)
MINUTES = 60
DEPLOY = START + dt.timedelta(minutes=30)
SPIKE_FROM = START + dt.timedelta(minutes=40)
SPIKE_TO = START + dt.timedelta(minutes=45)
ROWS_PER_INSERT = 200
TRACE_SAMPLE = 1 / 3

# endpoint: (share of traffic, median ms, log-normal sigma)
ENDPOINTS = {
    "GET /products": (0.24, 34.0, 0.35),
    "GET /products/{id}": (0.28, 16.0, 0.30),
    "GET /orders": (0.08, None, None),  # computed from its queries (N+1)
    "GET /orders/{id}": (0.12, 21.0, 0.35),
    "POST /orders": (0.07, 95.0, 0.45),
    "POST /login": (0.05, 118.0, 0.12),
    "GET /health": (0.16, 1.6, 0.25),
}

Q = {
    "products_page": "SELECT id, name, price_cents FROM products ORDER BY name LIMIT ? OFFSET ?",
    "products_count": "SELECT count(*) FROM products",
    "product": "SELECT id, name, category, price_cents FROM products WHERE id = ?",
    "reviews": "SELECT rating, body, created_at FROM reviews WHERE product_id = ? ORDER BY created_at DESC LIMIT 5",
    "orders_page": "SELECT id, customer_id, status, created_at FROM orders WHERE status = ? ORDER BY created_at DESC LIMIT ?",
    "customer": "SELECT id, name, email FROM customers WHERE id = ?",
    "order": "SELECT id, customer_id, status, created_at FROM orders WHERE id = ?",
    "order_items": "SELECT i.product_id, p.name, i.quantity, i.unit_price_cents FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ?",
    "begin": "BEGIN",
    "insert_order": "INSERT INTO orders (customer_id, status, created_at) VALUES (?, ?, ?)",
    "insert_item": "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (?, ?, ?, ?)",
    "commit": "COMMIT",
    "user_by_email": "SELECT id, password_hash FROM users WHERE email = ?",
    "session": "INSERT INTO sessions (user_id, token_hash, expires_at) VALUES (?, ?, ?)",
}


def lognormal(rng, median, sigma):
    return median * math.exp(rng.gauss(0.0, sigma))


def rate_per_minute(minute):
    """Requests per minute: a gentle rise, then the newsletter spike."""
    base = 30 + minute * 0.2
    moment = START + dt.timedelta(minutes=minute)
    if SPIKE_FROM <= moment < SPIKE_TO:
        base *= 3.0
    return base


def make_requests(rng):
    names = list(ENDPOINTS)
    shares = [ENDPOINTS[n][0] for n in names]
    starts = []
    for minute in range(MINUTES):
        n = int(round(rate_per_minute(minute) * rng.uniform(0.85, 1.15)))
        for _ in range(n):
            ms = rng.randrange(60_000)
            starts.append(START + dt.timedelta(minutes=minute, milliseconds=ms))
    starts.sort()
    requests, queries = [], []
    for rid, started in enumerate(starts, start=1):
        endpoint = rng.choices(names, shares)[0]
        busy = SPIKE_FROM <= started < SPIKE_TO + dt.timedelta(seconds=30)
        slow = 1.0 + (rng.uniform(0.6, 1.6) if busy else 0.0)  # queueing under load
        status = 200
        plan = []  # (sql key, duration ms)
        if endpoint == "GET /orders":
            page = rng.choice([10, 20, 20, 20, 25, 40])
            found = page if rng.random() < 0.85 else rng.randint(1, page)
            plan.append(("orders_page", lognormal(rng, 3.2, 0.3)))
            for _ in range(found):  # the N+1: one customer lookup per order
                plan.append(("customer", lognormal(rng, 1.4, 0.35)))
            app = lognormal(rng, 6.0, 0.3) + 0.35 * found  # + per-row serialisation
            duration = (sum(d for _, d in plan) + app) * slow
        else:
            _, median, sigma = ENDPOINTS[endpoint]
            duration = lognormal(rng, median, sigma) * slow
            reviews_ms = 0.0
            if endpoint == "GET /products/{id}" and started >= DEPLOY:
                reviews_ms = lognormal(rng, 11.0, 0.35) * slow  # the new reviews query
                duration += reviews_ms
            if rng.random() < 0.01:  # GC pause, cold cache, noisy neighbour ...
                duration *= rng.uniform(4, 12)
            if endpoint == "GET /products":
                plan = [("products_page", 0.45), ("products_count", 0.2)]
            elif endpoint == "GET /products/{id}":
                plan = [("product", 0.08)]
                if started >= DEPLOY:
                    plan.append(("reviews", None))
            elif endpoint == "GET /orders/{id}":
                plan = [("order", 0.1), ("order_items", 0.25)]
            elif endpoint == "POST /orders":
                items = rng.randint(1, 4)
                plan = ([("begin", 0.02), ("insert_order", 0.04)]
                        + [("insert_item", 0.03)] * items + [("commit", 0.06)])
                status = 201
            elif endpoint == "POST /login":
                plan = [("user_by_email", 0.06), ("session", 0.04)]
            if endpoint == "GET /orders/{id}" and rng.random() < 0.05:
                status = 404
                plan = plan[:1]
            if endpoint == "POST /orders" and rng.random() < 0.04:
                status = 422  # validation failed before touching the database
                plan = []
                duration = lognormal(rng, 4.0, 0.3)
            if endpoint == "POST /login" and rng.random() < 0.12:
                status = 401
                plan = plan[:1]
            # Turn shares of the duration into query durations.
            timed = []
            for key, share in plan:
                if share is None:  # the reviews query: a scan without an index
                    timed.append((key, reviews_ms * rng.uniform(0.85, 0.97)))
                else:
                    timed.append((key, duration * share * rng.uniform(0.6, 1.0)))
            plan = timed
        if rng.random() < 0.004:
            status = 500
        if busy and endpoint != "GET /health" and rng.random() < 0.04:
            status = 503
            duration = lognormal(rng, 2.0, 0.2)  # rejected by the overloaded pool
            plan = []
        duration = round(max(duration, 0.4), 1)
        requests.append((rid, endpoint, started, duration, status))
        traced = rng.random() < TRACE_SAMPLE
        if traced and endpoint != "GET /health":
            for key, qdur in plan:
                queries.append((rid, Q[key], round(max(qdur, 0.05), 2)))
    return requests, queries


SCHEMA = """\
CREATE TABLE requests (
    id          INTEGER PRIMARY KEY,
    endpoint    TEXT NOT NULL,      -- method and route, e.g. 'GET /products/{id}'
    started_at  TEXT NOT NULL,      -- 'YYYY-MM-DD HH:MM:SS.SSS', UTC
    duration_ms REAL NOT NULL,      -- time to the last byte of the response
    status      INTEGER NOT NULL    -- HTTP status code
);

CREATE TABLE query_log (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests (id),
    sql         TEXT NOT NULL,      -- statement with parameters as ?
    duration_ms REAL NOT NULL
);
"""


def sql_value(value):
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def inserts(table, columns, rows):
    out = []
    for start in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[start:start + ROWS_PER_INSERT]
        out.append(f"INSERT INTO {table} ({', '.join(columns)}) VALUES\n")
        out.append(",\n".join("(" + ", ".join(sql_value(v) for v in row) + ")" for row in chunk))
        out.append(";\n")
    return "".join(out)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "content", "datasets", "latency.sql")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=default)
    args = parser.parse_args()

    rng = random.Random(SEED)
    requests, queries = make_requests(rng)
    request_rows = [
        (rid, endpoint, started.strftime("%Y-%m-%d %H:%M:%S.") + f"{started.microsecond // 1000:03d}",
         duration, status)
        for rid, endpoint, started, duration, status in requests
    ]
    query_rows = [(qid, rid, sql, dur) for qid, (rid, sql, dur) in enumerate(queries, start=1)]
    text = "".join([
        "-- Backend Academy lab dataset \"latency\". Generated by tools/make_latency_dataset.py;\n"
        "-- do not edit by hand, change the script and run it again.\n"
        f"-- {len(request_rows)} requests, {len(query_rows)} query_log rows.\n",
        "BEGIN TRANSACTION;\n\n",
        SCHEMA,
        "\n",
        inserts("requests", ["id", "endpoint", "started_at", "duration_ms", "status"], request_rows),
        inserts("query_log", ["id", "request_id", "sql", "duration_ms"], query_rows),
        "\nCOMMIT;\n",
    ])
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"wrote {args.output}: {len(request_rows)} requests, {len(query_rows)} query_log rows "
          f"({len(text.encode('utf-8'))} bytes)")


if __name__ == "__main__":
    main()
