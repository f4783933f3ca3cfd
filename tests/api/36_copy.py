"""telcrm copy --from SQLITE --to postgresql://…: a demo operator copied into PostgreSQL
answers the same lists, searches and 360° views there; every table's count and checksum
are checked; a copy killed half-way goes on when run again, and one run again after it
finished changes nothing; bad usage, a source that is behind and targets holding other
data are refused with clear messages.

The copies need PostgreSQL: they run in api-pg/36_copy (TELCRM_TEST_PG) and are skipped,
with a line saying so, in api/36_copy; the refusals before any connection run in both."""

import os
import pty
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import urllib.parse

import harness
from harness import BIN, Server, run_cli

CUST = "/tmf-api/customerManagement/v4/customer"
NOWHERE = "postgresql://nobody@/nowhere?host=/nonexistent"
TABLE_LINE = re.compile(r"^  (\w+) +(\d+) rows  checksum ([0-9a-f]{16})  (.*)$")


def copy(*args):
    """Runs `telcrm copy args…`: (exit code, stdout, stderr), without sanitizer reports."""
    rc, out, err = run_cli("copy", *args)
    assert "Sanitizer" not in err and "runtime error:" not in err, err[-4000:]
    return rc, out, err


def needs_pg(test):
    """A test that copies into PostgreSQL: without TELCRM_TEST_PG it says skip."""
    def run():
        if not harness.PG:
            print(f"skip {test.__name__} (needs PostgreSQL: TELCRM_TEST_PG)", flush=True)
            return
        test()
    run.__name__ = test.__name__
    return run


def sqlite_counts(path):
    c = sqlite3.connect(path)
    try:
        names = [r[0] for r in c.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE 'customer_name_fts%' AND name != 'schema_migrations'")]
        return {n: c.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        c.close()


def pg_counts(url, tables):
    return {t: harness.sql(url, f'SELECT count(*) AS n FROM "{t}"')[0][0] for t in tables}


def table_lines(out):
    """The per-table lines of a copy's output: table -> (rows, checksum, state)."""
    got = {}
    for line in out.splitlines():
        m = TABLE_LINE.match(line)
        if m:
            got[m.group(1)] = (int(m.group(2)), m.group(3), m.group(4))
    return got


def demo(tmp, name, customers, seed="7"):
    path = os.path.join(tmp, name)
    rc, out, err = run_cli("demo", "--customers", str(customers), "--seed", seed, db=path)
    assert rc == 0, err
    return path


def pg_target(tmp):
    """A new empty PostgreSQL database (fresh_db makes one on the test cluster)."""
    return harness.fresh_db(tmp, "target")


def copy_with_tty(src, dst):
    """Runs the copy with stderr on a terminal (the progress bar); returns (rc, out, err)."""
    master, slave = pty.openpty()
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    p = subprocess.run([BIN, "copy", "--from", src, "--to", dst], stdout=subprocess.PIPE,
                       stderr=slave, text=True, timeout=120)
    os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    return p.returncode, p.stdout, b"".join(chunks).decode("utf-8", "replace")


def test_usage_errors():
    rc, out, err = copy("--help")
    assert rc == 0 and "usage: telcrm copy" in out and "copy_progress" in out, (rc, out)
    rc, out, err = copy("--to", NOWHERE)
    assert rc == 2 and "needs --from" in err and "usage: telcrm copy" in err, (rc, err)
    rc, out, err = copy("--from", "a.db")
    assert rc == 2 and "needs --from" in err, (rc, err)
    rc, out, err = copy("--from", "a.db", "--to", "b.db")
    assert rc == 2 and "--to 'b.db' is not a PostgreSQL URL" in err, (rc, err)
    rc, out, err = copy("--from", NOWHERE, "--to", NOWHERE)
    assert rc == 2 and "--from is a PostgreSQL URL" in err, (rc, err)
    assert "nobody" not in err, err  # a URL, which may hold a password, is not echoed
    rc, out, err = copy("--from", "a.db", "--to", NOWHERE, "more")
    assert rc == 2 and "unexpected argument 'more'" in err, (rc, err)
    rc, out, err = copy("--from", "a.db", "--to", NOWHERE, "--batch", "0")
    assert rc == 2 and "batch" in err, (rc, err)


def test_source_missing_or_behind():
    tmp = tempfile.mkdtemp(prefix="telcrm-copy-")
    try:
        missing = os.path.join(tmp, "missing.db")
        rc, out, err = copy("--from", missing, "--to", NOWHERE)
        assert rc == 1 and f"database '{missing}' does not exist" in err, (rc, err)
        assert not os.path.exists(missing), "a missing source is not created"
        # a source behind this telcrm: migrate it first (copy never writes its source)
        old = demo(tmp, "old.db", 10)
        c = sqlite3.connect(old)
        c.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version)"
                  " FROM schema_migrations)")
        c.commit()
        c.close()
        rc, out, err = copy("--from", old, "--to", NOWHERE)
        assert rc == 1 and "is older than this telcrm" in err, (rc, err)
        assert f"run 'telcrm migrate --db {old}' first" in err, err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def same(a, b, path):
    ra, rb = a.get(path), b.get(path)
    assert ra.status == 200 and rb.status == 200, (path, ra, rb)
    assert ra.json == rb.json, f"{path} differs:\n{ra.text[:600]}\n{rb.text[:600]}"
    for h in ("x-total-count", "x-result-count"):
        assert ra.header(h) == rb.header(h), (path, h, ra.header(h), rb.header(h))
    return ra.json


@needs_pg
def test_copy_answers_the_same():
    tmp = tempfile.mkdtemp(prefix="telcrm-copy-")
    dst = pg_target(tmp)
    try:
        src = demo(tmp, "src.db", 2000)
        counts = sqlite_counts(src)
        rc, out, err = copy_with_tty(src, dst)
        assert rc == 0, (out, err)
        # the progress bar, per table, on the terminal
        assert re.search(r"customer \[#+ *\] +\d+% (copied|verified) \d+/2000 rows", err), err
        lines = table_lines(out)
        assert set(lines) == set(counts), (sorted(lines), sorted(counts))
        for t, (rows, _, state) in lines.items():
            assert rows == counts[t] and state.startswith("ok"), (t, rows, counts[t], state)
        assert lines["customer"][0] == 2000 and lines["party"][0] == 2000
        assert re.search(r"copied .*: \d+ rows in \d+ tables, verified", out), out
        assert pg_counts(dst, counts) == counts
        # the progress record: every table done with the checksum printed
        prog = dict((r[0], (r[1], r[2])) for r in harness.sql(
            dst, "SELECT table_name AS t, rows AS n, checksum AS c FROM copy_progress"
                 " WHERE done_ms > 0"))
        assert prog == {t: (v[0], v[1]) for t, v in lines.items()}, prog
        # the identity sequences go on past the copied rows
        for t in ("audit_log", "event_outbox"):
            top, nxt = harness.sql(dst, f"SELECT max(seq) AS m, nextval(pg_get_serial_sequence("
                                        f"'{t}', 'seq')) AS n FROM {t}")[0]
            assert top == counts[t] and nxt == top + 1, (t, top, nxt)
        # the migrations' seed rows were replaced by the source's
        hq = harness.sql(src, "SELECT created_ms FROM org_unit WHERE id = 'HQ'")[0][0]
        assert harness.sql(dst, "SELECT created_ms AS c FROM org_unit WHERE id = 'HQ'")[0][0] == hq

        with Server(db=src, tmp=tempfile.mkdtemp(prefix="telcrm-copy-a-")) as a, \
                Server(db=dst, tmp=tempfile.mkdtemp(prefix="telcrm-copy-b-")) as b:
            first = same(a, b, CUST + "?limit=100")
            same(a, b, CUST + "?limit=50&offset=1500")
            same(a, b, CUST + "?status=active&limit=30")
            same(a, b, CUST + "?sort=name&limit=40")
            same(a, b, "/api/v1/org-units?limit=1000")
            same(a, b, "/api/v1/roles?limit=100")
            for c in first[::20]:
                same(a, b, c["href"])
                same(a, b, c["engagedParty"]["href"])
                same(a, b, f"/api/v1/customers/{c['id']}/360")
                for q in (c["name"][:2], c["name"], c["customerNo"]):
                    found = same(a, b, "/api/v1/search?" + urllib.parse.urlencode({"q": q}))
                    assert any(h["id"] == c["id"] for h in found), (q, found)
                party = a.get(c["engagedParty"]["href"]).json
                for m in party.get("contactMedium", []):
                    number = m["characteristic"].get("phoneNumber")
                    if number:
                        same(a, b, "/api/v1/search?" + urllib.parse.urlencode(
                            {"q": number[-4:]}))
                        same(a, b, "/api/v1/search?" + urllib.parse.urlencode({"q": number}))
    finally:
        harness.drop_db(dst)
        shutil.rmtree(tmp, ignore_errors=True)


@needs_pg
def test_killed_copy_goes_on_and_a_finished_one_is_a_no_op():
    tmp = tempfile.mkdtemp(prefix="telcrm-copy-")
    dst = pg_target(tmp)
    try:
        src = demo(tmp, "src.db", 20000)
        counts = sqlite_counts(src)
        # killed once org units are copied: the parties and customers are under way
        p = subprocess.Popen([BIN, "copy", "--from", src, "--to", dst, "--batch", "500"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        seen = []
        for line in p.stdout:
            seen.append(line)
            if line.startswith("  org_unit "):
                p.send_signal(signal.SIGKILL)
                break
        p.wait(timeout=30)
        p.stdout.close()
        assert p.returncode == -signal.SIGKILL, (p.returncode, seen)
        done = {r[0] for r in harness.sql(
            dst, "SELECT table_name AS t FROM copy_progress WHERE done_ms > 0")}
        assert "org_unit" in done and "customer" not in done, done
        # the table under way was rolled back whole
        assert harness.sql(dst, "SELECT count(*) AS n FROM customer")[0][0] == 0

        rc, out, err = copy("--from", src, "--to", dst)
        assert rc == 0, (out, err)
        assert "going on with the copy" in out, out
        lines = table_lines(out)
        assert lines["org_unit"][2] == "copied before", lines
        assert lines["customer"][2].startswith("ok") and lines["customer"][0] == 20000, lines
        assert {t: v[0] for t, v in lines.items()} == counts
        assert pg_counts(dst, counts) == counts

        # run again: complete, nothing changes
        before = harness.sql(dst, "SELECT table_name AS t, rows AS n, checksum AS c,"
                                  " done_ms AS d FROM copy_progress ORDER BY 1")
        rc, out2, err = copy("--from", src, "--to", dst)
        assert rc == 0 and "is complete already" in out2 and "nothing to do" in out2, out2
        assert table_lines(out2) == {}, out2
        assert harness.sql(dst, "SELECT table_name AS t, rows AS n, checksum AS c,"
                                " done_ms AS d FROM copy_progress ORDER BY 1") == before
        assert pg_counts(dst, counts) == counts
    finally:
        harness.drop_db(dst)
        shutil.rmtree(tmp, ignore_errors=True)


@needs_pg
def test_refuses_a_target_holding_other_data():
    tmp = tempfile.mkdtemp(prefix="telcrm-copy-")
    used, other = pg_target(tmp), pg_target(tmp)
    try:
        src = demo(tmp, "src.db", 50)
        # a database in use: a user of its own
        assert run_cli("migrate", db=used)[0] == 0
        rc, out, err = run_cli("user", "add", "--login", "someone", "--role", "admin",
                               "--org", "HQ", "--password-stdin", db=used,
                               input="Someone-pass-2026\n")
        assert rc == 0, err
        rc, out, err = copy("--from", src, "--to", used)
        assert rc == 1 and "the target holds data already" in err, (rc, err)
        assert "copy into a new, empty database" in err, err
        assert harness.sql(used, "SELECT count(*) AS n FROM information_schema.tables"
                                 " WHERE table_name = 'copy_progress'")[0][0] == 0
        assert harness.sql(used, "SELECT count(*) AS n FROM app_user")[0][0] == 1
        # a copy of one source, then another source into it
        rc, out, err = copy("--from", src, "--to", other)
        assert rc == 0, err
        src2 = demo(tmp, "src2.db", 50, seed="8")
        rc, out, err = copy("--from", src2, "--to", other)
        assert rc == 1 and "the target holds a copy of another database" in err, (rc, err)
        # the target changed after the copy: said, not papered over
        harness.sql(other, "DELETE FROM phone_key WHERE owner_id IN"
                           " (SELECT owner_id FROM phone_key LIMIT 1)")
        rc, out, err = copy("--from", src, "--to", other)
        assert rc == 1 and "table 'phone_key' of the target has" in err, (rc, err)
        assert "the target changed since" in err, err
    finally:
        harness.drop_db(used)
        harness.drop_db(other)
        shutil.rmtree(tmp, ignore_errors=True)


@needs_pg
def test_a_copy_that_differs_is_refused():
    """The target itself changes a row as it is loaded (a trigger): the checksum finds it;
    one that drops a row: the count does. The table is rolled back, the ones before stay,
    and once the target behaves the copy goes on."""
    tmp = tempfile.mkdtemp(prefix="telcrm-copy-")
    dst = pg_target(tmp)
    try:
        src = demo(tmp, "src.db", 50)
        pid = harness.sql(src, "SELECT id FROM party ORDER BY id LIMIT 1")[0][0]
        assert run_cli("migrate", db=dst)[0] == 0
        for body, want in (
                ("NEW.full_name := NEW.full_name || '!'; RETURN NEW;",
                 "table 'party' differs from the source: checksum"),
                ("RETURN NULL;", "table 'party' has 49 rows in the copy but 50 in the source")):
            harness.sql(dst, "CREATE OR REPLACE FUNCTION meddle() RETURNS trigger LANGUAGE"
                             f" plpgsql AS $$ BEGIN IF NEW.id = '{pid}' THEN {body} END IF;"
                             " RETURN NEW; END $$")
            harness.sql(dst, "CREATE OR REPLACE TRIGGER meddle BEFORE INSERT ON party"
                             " FOR EACH ROW EXECUTE FUNCTION meddle()")
            rc, out, err = copy("--from", src, "--to", dst)
            assert rc == 1 and want in err and "the table was rolled back" in err, (rc, err)
            assert harness.sql(dst, "SELECT count(*) AS n FROM party")[0][0] == 0
            done = {r[0] for r in harness.sql(
                dst, "SELECT table_name AS t FROM copy_progress WHERE done_ms > 0")}
            assert "org_unit" in done and "party" not in done, done
        harness.sql(dst, "DROP TRIGGER meddle ON party")
        rc, out, err = copy("--from", src, "--to", dst)
        assert rc == 0 and "going on with the copy" in out, (out, err)
        assert table_lines(out)["party"][0] == 50
    finally:
        harness.drop_db(dst)
        shutil.rmtree(tmp, ignore_errors=True)


@needs_pg
def test_a_value_postgresql_cannot_store_is_named():
    tmp = tempfile.mkdtemp(prefix="telcrm-copy-")
    dst = pg_target(tmp)
    try:
        src = demo(tmp, "src.db", 20)
        c = sqlite3.connect(src)
        c.execute("UPDATE org_unit SET name = 'Head' || char(0) || 'quarters' WHERE id = 'HQ'")
        c.commit()
        c.close()
        rc, out, err = copy("--from", src, "--to", dst)
        assert rc == 1, (rc, out, err)
        assert "table 'org_unit': 'name' holds a NUL byte, which PostgreSQL cannot store" \
            in err, err
        assert "in table 'org_unit', the row with id 'HQ'" in err, err
    finally:
        harness.drop_db(dst)
        shutil.rmtree(tmp, ignore_errors=True)


harness.main(globals())
