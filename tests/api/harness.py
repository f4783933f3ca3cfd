"""API test harness: starts the real `telcrm serve` on a free 127.0.0.1 port with a fresh
temporary database and talks HTTP to it. Each tests/api/NN_*.py file defines test_*
functions and ends with `harness.main(globals())`, which runs them in order and prints
`N passed, N failed`. Only the Python standard library is used.

With TELCRM_TEST_PG naming the state file of a throwaway cluster (scripts/pgcluster),
every Server runs on a PostgreSQL database of its own instead, and the same tests check
the PostgreSQL backend; s.sql() reads and changes the database on either backend.
"""

import http.client
import http.server
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

BIN = os.environ.get("TELCRM_BIN") or os.path.join(
    os.path.dirname(__file__), "..", "..", "build", "telcrm")
TIMEOUT = 10


def _pg_base():
    state = os.environ.get("TELCRM_TEST_PG")
    if not state:
        return None
    with open(state) as f:
        return f.read().split("\n")[0]


# "postgresql://postgres@/?host=…&port=…" when the tests run on PostgreSQL, else None
PG = _pg_base()
_pg_seq = [0]


def _pg_url(name):
    return PG.replace("@/?", f"@/{name}?")


def psql(url, query):
    """Runs one statement with psql on the database url; returns its output."""
    p = subprocess.run(["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", query],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"psql: {p.stderr.strip()}")
    return p.stdout


def fresh_db(tmp, name="telcrm.db"):
    """A new empty database: the file tmp/name, or a new PostgreSQL database."""
    if not PG:
        return os.path.join(tmp, name)
    _pg_seq[0] += 1
    db = f"t{os.getpid()}_{_pg_seq[0]}_{os.path.basename(tmp).replace('-', '_')}".lower()
    psql(_pg_url("postgres"), f"CREATE DATABASE {db} TEMPLATE template0 ENCODING 'UTF8' "
                              "LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'")
    return _pg_url(db)


def drop_db(db):
    """Drops a database fresh_db made on PostgreSQL (files go with their folder)."""
    if PG and db.startswith("postgresql://"):
        name = db.split("@/")[1].split("?")[0]
        psql(_pg_url("postgres"), f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def sql(db, query, params=()):
    """Runs query (with ? placeholders) on the database db; returns the rows as tuples,
    with the column types of the backend's JSON (numbers, strings, None). On PostgreSQL
    the rows travel as JSON objects: the columns need names of their own (AS …)."""
    if not db.startswith("postgresql://"):
        import sqlite3
        c = sqlite3.connect(db)
        try:
            rows = c.execute(query, params).fetchall()
            c.commit()
            return rows
        finally:
            c.close()
    parts = query.split("?")
    assert len(parts) == len(params) + 1, "one value per ?"
    text = parts[0] + "".join(_literal(v) + rest for v, rest in zip(params, parts[1:]))
    if not text.lstrip().upper().startswith("SELECT"):
        psql(db, text)
        return []
    out = psql(db, f"SELECT coalesce(json_agg(q), '[]') FROM ({text}) q")
    return [tuple(r.values()) for r in json.loads(out)]  # the columns in their order


def database_bytes(db):
    """Everything the database holds, as bytes: SQLite's files (with the WAL), or a
    pg_dump of the PostgreSQL database. For tests that no secret is stored in clear."""
    if db.startswith("postgresql://"):
        return subprocess.run(["pg_dump", db], capture_output=True, check=True,
                              timeout=120).stdout
    import glob
    blobs = b""
    for path in sorted(glob.glob(db + "*")):
        with open(path, "rb") as f:
            blobs += f.read()
    return blobs


def sqlite_only(test):
    """Marks a test of SQLite's files (backups, the database file itself): skipped when
    the tests run on PostgreSQL."""
    test.sqlite_only = True
    return test


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = {k.lower(): v for k, v in headers}
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if self.text else None
        except ValueError:
            self.json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return f"<{self.status} {self.text[:300]}>"


def run_cli(*args, db=None, input=None, env=None):
    """Runs `telcrm args...`; returns (exit code, stdout, stderr)."""
    argv = [BIN] + list(args)
    if db:
        argv += ["--db", db]
    p = subprocess.run(argv, capture_output=True, text=True, timeout=120, input=input,
                       env=env)
    return p.returncode, p.stdout, p.stderr


ADMIN_LOGIN = "admin"
ADMIN_PASSWORD = "Admin-pass-2026"


class Server:
    """A telcrm server on a fresh database (or the given one) in a temporary folder.

    Once started, the database holds the user `admin` (role admin, org HQ, password
    ADMIN_PASSWORD) and requests carry an admin API token (self.token) unless they pass
    auth=None or their own Authorization header."""

    def __init__(self, db=None, args=(), tmp=None):
        self.tmp = tmp or tempfile.mkdtemp(prefix="telcrm-api-")
        self.own_db = db is None
        self.db = db or fresh_db(self.tmp)
        self.args = list(args)
        self.proc = None
        self.port = None
        self.conn = None
        self.token = None
        self.log_path = os.path.join(self.tmp, "server.log")

    def start(self):
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [BIN, "serve", "--db", self.db, "--listen", "127.0.0.1:0", "--threads", "2",
             "--event-poll-ms", "50"] + self.args,
            stdout=subprocess.PIPE, stderr=self.log)
        line = self.proc.stdout.readline().decode()
        m = re.search(r"port (\d+)", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r}; log: {self.read_log()}")
        self.port = int(m.group(1))
        if not self.token:
            self.token = self.bootstrap_admin()
        return self

    def bootstrap_admin(self):
        """Creates the admin user (unless the database has it) and returns a new token."""
        rc, _, err = run_cli("user", "add", "--login", ADMIN_LOGIN, "--role", "admin",
                             "--org", "HQ", "--password-stdin", db=self.db,
                             input=ADMIN_PASSWORD + "\n")
        if rc != 0 and "is taken" not in err:
            raise RuntimeError(f"cannot create the admin user: {err}")
        return self.cli_token(ADMIN_LOGIN)

    def cli_token(self, login, *args):
        """A new API token for login, made with `telcrm token create`."""
        rc, out, err = run_cli("token", "create", "--user", login, *args, db=self.db)
        if rc != 0:
            raise RuntimeError(f"cannot create a token for {login}: {err}")
        return out.strip()

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; returns its exit code."""
        if self.conn:
            self.conn.close()
            self.conn = None
        if not self.proc:
            return None
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc.stdout.close()
        self.log.close()
        self.proc = None
        return rc

    def kill(self):
        return self.stop(signal.SIGKILL)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        rc = self.stop()
        # sanitizer reports go to the log: a leak or UB fails the test that ran the server
        log = self.read_log()
        if exc[0] is None and ("ERROR: AddressSanitizer" in log or "runtime error:" in log
                               or "LeakSanitizer" in log):
            raise AssertionError("sanitizer report in server log:\n" + log[-4000:])
        if exc[0] is None and rc not in (0, None):
            raise AssertionError(f"server exited with {rc}:\n" + log[-4000:])
        if self.own_db:
            drop_db(self.db)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def sql(self, query, params=()):
        """Runs query on this server's database (see sql())."""
        return sql(self.db, query, params)

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

    def request(self, method, path, body=None, headers=None, raw=None, new_conn=False,
                auth="admin"):
        """Sends a request; body (any JSON value) is encoded unless raw (bytes/str) is
        given. Reuses one keep-alive connection unless new_conn. auth: "admin" (the admin
        token), None (no credentials) or a token."""
        hdrs = dict(headers or {})
        token = self.token if auth == "admin" else auth
        if token and not any(k.lower() in ("authorization", "cookie") for k in hdrs):
            hdrs["Authorization"] = "Bearer " + token
        data = raw
        if body is not None:
            data = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        if isinstance(data, str):
            data = data.encode()
        for attempt in range(2):
            conn = self.connection() if new_conn else (self.conn or self.connection())
            try:
                conn.request(method, path, body=data, headers=hdrs)
                r = conn.getresponse()
                resp = Response(r.status, r.getheaders(), r.read())
                if new_conn or r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    if conn is self.conn:
                        self.conn = None
                else:
                    self.conn = conn
                return resp
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                conn.close()
                self.conn = None
                if attempt:
                    raise

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body=body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


class Listener:
    """A hub listener: an HTTP server on a free port collecting POSTed events."""

    def __init__(self, fail_first=0):
        self.events = queue.Queue()
        self.fail_first = fail_first
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(n)
                if outer.fail_first > 0:
                    outer.fail_first -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                outer.events.put(json.loads(body))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/listener"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def wait(self, n, timeout=15):
        """Returns n events, waiting at most timeout seconds for them."""
        got = []
        deadline = time.time() + timeout
        while len(got) < n:
            try:
                got.append(self.events.get(timeout=max(0.01, deadline - time.time())))
            except queue.Empty:
                raise AssertionError(f"expected {n} events, got {len(got)}: {got}")
        return got

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_error(r, status, contains=None):
    """Asserts r is a TMF error body with this status (and message fragment)."""
    assert r.status == status, f"want {status}, got {r}"
    body = r.json
    assert isinstance(body, dict), f"error body is not JSON: {r}"
    for key in ("code", "reason", "message", "status", "@type"):
        assert key in body, f"error body lacks '{key}': {body}"
    # code: the cause's stable name ("field.required", "resource.notFound")
    assert body["status"] == str(status), body
    assert re.fullmatch(r"[a-z][a-zA-Z]*(\.[a-zA-Z]+)+", body["code"]), body
    assert body["@type"] == "Error", body
    if contains:
        assert contains in body["message"], f"'{contains}' not in '{body['message']}'"
    return body


def main(tests):
    """Runs every test_* in definition order; prints the summary; exits 1 on failure."""
    names = [n for n in tests if n.startswith("test_") and callable(tests[n])]
    only = os.environ.get("TEST_ONLY")
    passed = failed = 0
    for name in names:
        if only and only not in name:
            continue
        if PG and getattr(tests[name], "sqlite_only", False):
            print(f"skip {name} (SQLite only)", flush=True)
            continue
        t0 = time.time()
        try:
            tests[name]()
            passed += 1
            print(f"ok   {name} ({time.time() - t0:.2f}s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {name}", flush=True)
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
