#!/usr/bin/env python3
"""`make reliability`: nothing acknowledged is lost, under crashes and load.

Runs the real `academy` binary on 127.0.0.1 with a fresh database and checks:
  1. kill -9 under a write load, ROUNDS rounds: after each restart
     `PRAGMA integrity_check` is ok and every quiz attempt the server
     acknowledged (a 303 naming its id) is in the database;
  2. SIGTERM during load: in-flight requests complete, the process exits 0;
  3. `academy backup` during a write load: the copy passes integrity_check and
     holds every attempt acknowledged before the backup started;
  4. bad input: an oversized body gets 413, a malformed form 400, never a 5xx.
Every loop is bounded in count and time. Usage: reliability.py BIN [ROUNDS]
"""
import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

BIN = sys.argv[1]
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT = os.path.join(ROOT, "content")
PW = "a long enough passphrase"
LESSON = "/lessons/databases/indexes"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start(db, port):
    env = dict(os.environ, RUST_LOG="warn")
    proc = subprocess.Popen(
        [BIN, "serve", "--addr", f"127.0.0.1:{port}", "--db", db, "--content", CONTENT, "--site-root", os.path.join(ROOT, "target/site"), "--behind-proxy"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not start")


def request(port, method, path, body=None, headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Content-Type": "application/x-www-form-urlencoded"}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    r.read()
    return r


def login(port):
    body = urllib.parse.urlencode({"email": "rel@example.com", "password": PW})
    r = request(port, "POST", "/login", body, {"X-Forwarded-For": f"10.1.{os.getpid() % 250}.{int(time.time()) % 250}"})
    assert r.status == 303, r.status
    return r.getheader("set-cookie").split(";")[0]


def writer(port, cookie, acked, stop, errors):
    """Submits quiz attempts until stopped; records the ids the server acknowledged."""
    n = 0
    while not stop.is_set():
        token = f"{os.getpid():08x}{n:016x}"[-24:]
        n += 1
        try:
            r = request(port, "POST", LESSON + "/quiz", f"attempt={token}", {"Cookie": cookie}, timeout=5)
        except OSError:
            return  # the server went away: nothing after this was acknowledged
        if r.status == 303:
            m = re.search(r"/attempts/(\d+)$", r.getheader("location") or "")
            if m:
                acked.append(int(m.group(1)))
        elif r.status >= 500:
            errors.append(r.status)


def oversized(port):
    """Announces a 5 MiB body; the server must refuse it (413) without reading it."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
              b"Content-Length: 5242880\r\nConnection: close\r\n\r\nemail=")
    reply = s.recv(64).decode(errors="replace")
    s.close()
    return int(reply.split(" ")[1])


def ids_in(db):
    con = sqlite3.connect(db)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        ids = {row[0] for row in con.execute("SELECT id FROM quiz_attempts")}
    finally:
        con.close()
    return check, ids


def main():
    tmp = tempfile.mkdtemp(prefix="academy-reliability-")
    db = os.path.join(tmp, "academy.db")
    subprocess.run([BIN, "user", "add", "--email", "rel@example.com", "--name", "Rel", "--password-stdin", "--db", db],
                   input=PW + "\n", text=True, check=True, capture_output=True)
    total = 0
    errors = []
    for rnd in range(ROUNDS):
        port = free_port()
        proc = start(db, port)
        cookie = login(port)
        acked, stop = [], threading.Event()
        threads = [threading.Thread(target=writer, args=(port, cookie, acked, stop, errors), daemon=True) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(0.4 + 0.05 * (rnd % 7))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        stop.set()
        for t in threads:
            t.join()
        check, ids = ids_in(db)
        missing = set(acked) - ids
        assert check == "ok", f"round {rnd}: integrity_check says {check}"
        assert not missing, f"round {rnd}: acknowledged attempts lost: {sorted(missing)[:10]}"
        total += len(acked)
    print(f"kill -9: {ROUNDS} rounds, {total} acknowledged writes, all present, integrity ok")

    # SIGTERM during load: in-flight requests finish, clean exit.
    port = free_port()
    proc = start(db, port)
    cookie = login(port)
    acked, stop = [], threading.Event()
    threads = [threading.Thread(target=writer, args=(port, cookie, acked, stop, errors), daemon=True) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=15)
    stop.set()
    for t in threads:
        t.join()
    check, ids = ids_in(db)
    assert code == 0, f"SIGTERM exit code {code}"
    assert check == "ok" and not (set(acked) - ids)
    print(f"SIGTERM under load: exit 0, {len(acked)} acknowledged writes kept")

    # Backup during a write load.
    port = free_port()
    proc = start(db, port)
    cookie = login(port)
    acked, stop = [], threading.Event()
    threads = [threading.Thread(target=writer, args=(port, cookie, acked, stop, errors), daemon=True) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    before = set(acked)
    copy = os.path.join(tmp, "backup.db")
    out = subprocess.run([BIN, "backup", copy, "--db", db], capture_output=True, text=True)
    time.sleep(0.2)
    stop.set()
    for t in threads:
        t.join()
    assert out.returncode == 0, out.stderr
    check, ids = ids_in(copy)
    assert check == "ok" and not (before - ids), "backup lost acknowledged rows"
    print(f"backup under load: integrity ok, {len(before)} rows acknowledged before it, all in the copy")

    # Bad input never gives a 5xx.
    statuses = {
        "oversized": oversized(port),
        "malformed form": request(port, "POST", "/register", "%%%=&&").status,
        "malformed server fn": request(port, "POST", "/api/progress/complete", "lesson_id", {"Cookie": cookie}).status,
    }
    assert statuses["oversized"] == 413, statuses
    assert all(s < 500 for s in statuses.values()), statuses
    print(f"bad input: {statuses}")
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)
    assert not errors, f"5xx answers under load: {errors[:10]}"
    print("reliability: all passed")


if __name__ == "__main__":
    main()
