#!/usr/bin/env python3
"""`make reliability`: nothing acknowledged is lost, under crashes and load.

Runs the real `academy` binary on 127.0.0.1 with a fresh database and checks:
  1. kill -9 under a write load, ROUNDS rounds: after each restart
     `PRAGMA integrity_check` is ok and every quiz attempt the server
     acknowledged (a 303 naming its id) is in the database;
  2. SIGTERM during load: in-flight requests complete, the process exits 0;
  3. `academy backup` during a write load: the copy passes integrity_check and
     holds every attempt acknowledged before the backup started;
  4. bad input: an oversized body gets 413, a malformed form 400, never a 5xx;
  5. 50 concurrent writers x TRANSACTIONS mark-complete transactions each (one
     account per writer): every request answered, no SQLITE_BUSY in the log,
     and each account's completed lessons are exactly its last acknowledged
     choices (no lost update);
  6. MIXED_SECONDS of mixed load (browse, search, register, sign in, mark
     complete, quiz submit, some of it malformed): zero 5xx.
Every loop is bounded in count and time.

With ACADEMY_RELIABILITY_PG set to a PostgreSQL server URL (`make test`
sets it), the same checks run on a fresh database of that server: there
the integrity check is that every table reads back, and the backup is a
`pg_dump` restored into another fresh database and checked.
Usage: reliability.py BIN [ROUNDS [TRANSACTIONS [MIXED_SECONDS]]]
"""
import random
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
TRANSACTIONS = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
MIXED_SECONDS = int(sys.argv[4]) if len(sys.argv) > 4 else 60
WRITERS = 50
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTENT = os.path.join(ROOT, "content")
PW = "a long enough passphrase"
LESSON = "/lessons/databases/indexes"
PG_SERVER = os.environ.get("ACADEMY_RELIABILITY_PG", "")


def is_pg(db):
    return db.startswith("postgres://")


def psql(db, sql):
    """Rows of `sql` on PostgreSQL (psql, tab-separated), as lists of strings."""
    out = subprocess.run(["psql", db, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return [line.split("\t") for line in out.stdout.splitlines() if line]


def new_pg_db(name):
    base = PG_SERVER.rsplit("/", 1)[0]
    psql(PG_SERVER, f"DROP DATABASE IF EXISTS {name}")
    psql(PG_SERVER, f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def sql_rows(db, sql, params=()):
    """Rows of `sql` (`?` placeholders; test-made values only) on either engine."""
    if is_pg(db):
        for p in params:
            sql = sql.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
        return psql(db, sql)
    con = sqlite3.connect(db)
    try:
        with con:
            return [list(r) for r in con.execute(sql, params)]
    finally:
        con.close()


def integrity(db):
    """SQLite's integrity_check, or on PostgreSQL: every table reads back."""
    if is_pg(db):
        for table in ["users", "sessions", "lesson_progress", "quiz_attempts", "activity_days"]:
            psql(db, f"SELECT count(*) FROM {table}")
        return "ok"
    return sql_rows(db, "PRAGMA integrity_check")[0][0]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def start(db, port, log=None):
    env = dict(os.environ, RUST_LOG="warn")
    out = open(log, "ab") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [BIN, "serve", "--addr", f"127.0.0.1:{port}", "--db", db, "--content", CONTENT, "--site-root", os.path.join(ROOT, "target/site"), "--behind-proxy"],
        env=env, stdout=out, stderr=out)
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
    # A browser sends Origin with every POST; the server refuses a POST that
    # carries a cookie without it (CSRF), so this client sends it too.
    h = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"}
    h.update(headers or {})
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    r.read()
    return r


def some_ip():
    """A client address for X-Forwarded-For (never contacted): spreads the
    per-IP sign-in limit the way many learners behind a proxy would."""
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def login(port, email="rel@example.com"):
    body = urllib.parse.urlencode({"email": email, "password": PW})
    r = request(port, "POST", "/login", body, {"X-Forwarded-For": some_ip()})
    assert r.status == 303, r.status
    return r.getheader("set-cookie").split(";")[0]


def lesson_ids():
    """(id, path) of every lesson in content/, from the front matter."""
    out = []
    for track in sorted(os.listdir(CONTENT)):
        folder = os.path.join(CONTENT, track)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".md"):
                m = re.search(r"^id:\s*(\S+)", open(os.path.join(folder, name)).read(), re.M)
                if m:
                    out.append((m.group(1), f"/lessons/{track}/{name[:-3]}"))
    return out


class Client:
    """One keep-alive connection (a browser tab, more or less)."""

    def __init__(self, port, cookie=None):
        self.port, self.cookie, self.conn = port, cookie, None

    def send(self, method, path, body=None, headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{self.port}"}
        if self.cookie:
            h["Cookie"] = self.cookie
        h.update(headers or {})
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                r.read()
                return r
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise


def concurrent_writers(db, tmp):
    """50 accounts mark lessons done/undone concurrently; compare with the database."""
    for i in range(WRITERS):
        sql_rows(db, "INSERT INTO users (email, display_name, password_hash) "
                 "SELECT ?, ?, password_hash FROM users WHERE email = 'rel@example.com'",
                 (f"w{i}@example.com", f"Writer {i}"))
    log = os.path.join(tmp, "writers.log")
    port = free_port()
    proc = start(db, port, log)
    lessons = [lid for lid, _ in lesson_ids()][:12]
    expected = {}
    bad = []

    def one(i):
        client = Client(port, login(port, f"w{i}@example.com"))
        rng = random.Random(i)
        mine = {}
        for _ in range(TRANSACTIONS):
            lid = rng.choice(lessons)
            done = rng.random() < 0.5
            r = client.send("POST", "/progress/complete", urllib.parse.urlencode({"lesson_id": lid, "done": "1" if done else "0"}))
            if r.status == 303:
                mine[lid] = done
            else:
                bad.append(r.status)
        expected[i] = {lid for lid, done in mine.items() if done}

    t0 = time.time()
    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    took = time.time() - t0
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=15)
    assert len(expected) == WRITERS, f"only {len(expected)} of {WRITERS} writers finished"
    assert not bad, f"writers got {len(bad)} failed answers, e.g. {bad[:5]}"
    text = open(log, errors="replace").read().lower()
    assert "database is locked" not in text and "sqlite_busy" not in text, "SQLITE_BUSY in the server log"
    lost = 0
    for i in range(WRITERS):
        got = {row[0] for row in sql_rows(db,
            "SELECT lesson_id FROM lesson_progress p JOIN users u ON u.id = p.user_id "
            "WHERE u.email = ? AND p.completed_at IS NOT NULL", (f"w{i}@example.com",))}
        lost += len(got ^ expected[i])
    check = integrity(db)
    assert check == "ok", check
    assert lost == 0, f"{lost} lessons differ from the last acknowledged choice"
    n = WRITERS * TRANSACTIONS
    print(f"concurrent writers: {WRITERS} x {TRANSACTIONS} = {n} durable transactions in {took:.1f} s "
          f"({n / took:.0f}/s), no SQLITE_BUSY, no lost update")


def mixed_load(db, tmp):
    """Browse, search, register, sign in, mark complete and submit quizzes at once."""
    log = os.path.join(tmp, "mixed.log")
    port = free_port()
    proc = start(db, port, log)
    lessons = lesson_ids()
    words = ["database", "index", "cache", "http", "status", "tls", "queue", "rust", "", "zz9", "\"\"", "a OR b", "%", "*"]
    counts, fives = {}, []
    deadline = time.time() + MIXED_SECONDS
    lock = threading.Lock()

    def note(kind, status):
        with lock:
            counts.setdefault(kind, [0, 0])
            counts[kind][0] += 1
            if status >= 500:
                counts[kind][1] += 1
                fives.append((kind, status))

    def visitor(n):
        rng = random.Random(n)
        c = Client(port)
        while time.time() < deadline:
            roll = rng.random()
            if roll < 0.35:
                path = rng.choice([p for _, p in lessons] + ["/", "/lessons", "/salaries?country=United+Kingdom", "/salaries?role=%ZZ"])
                note("browse", c.send("GET", path).status)
            elif roll < 0.6:
                q = urllib.parse.quote(rng.choice(words))
                note("search", c.send("GET", f"/search?q={q}").status)
            elif roll < 0.7:
                body = urllib.parse.urlencode({"email": f"m{n}-{rng.randrange(10**9)}@example.com", "name": "Mixed", "password": PW})
                note("register", c.send("POST", "/register", body, {"X-Forwarded-For": some_ip()}).status)
            elif roll < 0.8:
                body = urllib.parse.urlencode({"email": "rel@example.com", "password": PW if rng.random() < 0.8 else "wrong password!"})
                note("sign in", c.send("POST", "/login", body, {"X-Forwarded-For": some_ip()}).status)
            else:
                note("malformed", c.send("POST", rng.choice(["/login", "/register", "/progress/complete", LESSON + "/quiz"]), "%%%=&&\x00").status)

    def learner(n):
        rng = random.Random(1000 + n)
        c = Client(port, login(port, f"w{n}@example.com"))
        while time.time() < deadline:
            roll = rng.random()
            lid, path = rng.choice(lessons)
            if roll < 0.4:
                note("browse signed in", c.send("GET", path).status)
            elif roll < 0.7:
                body = urllib.parse.urlencode({"lesson_id": lid, "done": rng.choice("01")})
                note("mark complete", c.send("POST", "/progress/complete", body).status)
            else:
                token = f"{n:04x}{rng.getrandbits(80):020x}"
                body = urllib.parse.urlencode({"attempt": token, "q1": rng.choice(["", "x", "0" * 40])})
                note("quiz submit", c.send("POST", path + "/quiz", body).status)

    threads = [threading.Thread(target=visitor, args=(i,), daemon=True) for i in range(8)]
    threads += [threading.Thread(target=learner, args=(i,), daemon=True) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=MIXED_SECONDS + 120)
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=15)
    total = sum(v[0] for v in counts.values())
    summary = ", ".join(f"{k} {v[0]}" for k, v in sorted(counts.items()))
    assert not fives, f"5xx under mixed load: {fives[:10]}; log tail: {open(log, errors='replace').read()[-2000:]}"
    assert code == 0, f"exit code {code} after mixed load"
    print(f"mixed load: {MIXED_SECONDS} s, {total} requests ({total / MIXED_SECONDS:.0f}/s): {summary}; zero 5xx")


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
    check = integrity(db)
    ids = {int(row[0]) for row in sql_rows(db, "SELECT id FROM quiz_attempts")}
    return check, ids


class WriteLoad:
    """A fresh server on `db` with four clients submitting quiz attempts;
    `acked` grows with every id the server acknowledged."""

    def __init__(self, db, errors):
        self.port = free_port()
        self.proc = start(db, self.port)
        self.cookie = login(self.port)
        self.acked, self.stop_flag = [], threading.Event()
        self.threads = [threading.Thread(target=writer, args=(self.port, self.cookie, self.acked, self.stop_flag, errors), daemon=True)
                        for _ in range(4)]
        for t in self.threads:
            t.start()

    def stop(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join()


def main():
    tmp = tempfile.mkdtemp(prefix="academy-reliability-")
    db = new_pg_db("reliability") if PG_SERVER else os.path.join(tmp, "academy.db")
    print(f"reliability on {'PostgreSQL' if PG_SERVER else 'SQLite'}")
    subprocess.run([BIN, "user", "add", "--email", "rel@example.com", "--name", "Rel", "--password-stdin", "--db", db],
                   input=PW + "\n", text=True, check=True, capture_output=True)
    total = 0
    errors = []
    for rnd in range(ROUNDS):
        load = WriteLoad(db, errors)
        time.sleep(0.4 + 0.05 * (rnd % 7))
        load.proc.send_signal(signal.SIGKILL)
        load.proc.wait()
        load.stop()
        acked = load.acked
        check, ids = ids_in(db)
        missing = set(acked) - ids
        assert check == "ok", f"round {rnd}: integrity_check says {check}"
        assert not missing, f"round {rnd}: acknowledged attempts lost: {sorted(missing)[:10]}"
        total += len(acked)
    print(f"kill -9: {ROUNDS} rounds, {total} acknowledged writes, all present, integrity ok")

    # SIGTERM during load: in-flight requests finish, clean exit.
    load = WriteLoad(db, errors)
    time.sleep(0.5)
    load.proc.send_signal(signal.SIGTERM)
    code = load.proc.wait(timeout=15)
    load.stop()
    check, ids = ids_in(db)
    assert code == 0, f"SIGTERM exit code {code}"
    assert check == "ok" and not (set(load.acked) - ids)
    print(f"SIGTERM under load: exit 0, {len(load.acked)} acknowledged writes kept")

    # Backup during a write load.
    load = WriteLoad(db, errors)
    port, proc, cookie = load.port, load.proc, load.cookie
    time.sleep(0.3)
    before = set(load.acked)
    copy = os.path.join(tmp, "backup.db")
    out = subprocess.run([BIN, "backup", copy, "--db", db], capture_output=True, text=True)
    time.sleep(0.2)
    load.stop()
    assert out.returncode == 0, out.stderr + out.stdout
    if is_pg(db):
        restored = new_pg_db("reliability_restored")
        back = subprocess.run(["pg_restore", "--no-owner", "-d", restored, copy], capture_output=True, text=True)
        assert back.returncode == 0, back.stderr
        copy = restored
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

    concurrent_writers(db, tmp)
    mixed_load(db, tmp)
    print("reliability: all passed")


if __name__ == "__main__":
    main()
