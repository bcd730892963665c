#!/usr/bin/env python3
"""The sign-ins and registrations beside `make bench`'s mixed load: 5 sign-ins
and 1 registration a second (each from a different client address, as
learners behind a proxy), for SECONDS. Prints: total 5xx sign-ins registrations.

Usage: bench_side_client.py PORT SECONDS"""
import http.client
import random
import sys
import threading
import time
import urllib.parse

PORT, SECS = int(sys.argv[1]), float(sys.argv[2])
END = time.time() + SECS
PW = "a long enough passphrase"
counts = {"sign in": 0, "register": 0, "5xx": 0}
lock = threading.Lock()


def loop(kind, every, body):
    while time.time() < END:
        t = time.time()
        c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        path = "/login" if kind == "sign in" else "/register"
        c.request("POST", path, body(), {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": ip})
        status = c.getresponse().status
        c.close()
        with lock:
            counts[kind] += 1
            counts["5xx"] += status >= 500
        time.sleep(max(0.0, every - (time.time() - t)))


threads = [
    threading.Thread(target=loop, args=("sign in", 0.2, lambda: urllib.parse.urlencode(
        {"email": f"mix{random.randrange(1, 9)}@example.com", "password": PW}))),
    threading.Thread(target=loop, args=("register", 1.0, lambda: urllib.parse.urlencode(
        {"email": f"new{random.randrange(10**9)}@example.com", "name": "New", "password": PW}))),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counts["sign in"] + counts["register"], counts["5xx"], counts["sign in"], counts["register"])
