"""A throwaway PostgreSQL cluster for the tests, from Debian's packages: initdb in a
temporary folder, listening on a unix socket only (no TCP port, no system service), fsync
off. `start STATE` creates and starts it and writes its URL base to the file STATE;
`stop STATE` stops it and removes the folder. API tests read STATE (TELCRM_TEST_PG) and
give every server a database of its own (harness.py). Under root the cluster runs as the
user postgres, since PostgreSQL refuses to run as root.
"""

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile


def bindir():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]))
    if not found:
        sys.exit("pgcluster: PostgreSQL's initdb is not installed (scripts/bootstrap "
                 "installs the package postgresql)")
    return os.path.dirname(found[-1])


def as_owner(argv):
    """argv run as the cluster's owner: postgres under root, else the caller."""
    if os.getuid() == 0:
        return ["runuser", "-u", "postgres", "--"] + argv
    return argv


def start(state):
    bins = bindir()
    root = tempfile.mkdtemp(prefix="telcrm-pg-")
    data, sock = os.path.join(root, "data"), os.path.join(root, "sock")
    os.mkdir(sock)
    if os.getuid() == 0:
        pw = pwd.getpwnam("postgres")
        for d in (root, sock):
            os.chown(d, pw.pw_uid, pw.pw_gid)
    # UTF-8 character classes: pg_trgm makes no trigrams of Chinese under the C locale
    subprocess.run(as_owner([os.path.join(bins, "initdb"), "-D", data, "-U", "postgres",
                             "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    port = "5432"
    opts = (f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    subprocess.run(as_owner([os.path.join(bins, "pg_ctl"), "-D", data, "-w", "-l",
                             os.path.join(root, "server.log"), "-o", opts, "start"]),
                   check=True, capture_output=True)
    with open(state, "w") as f:
        f.write(f"postgresql://postgres@/?host={sock}&port={port}\n{root}\n")


def stop(state):
    try:
        with open(state) as f:
            _, root = f.read().split("\n")[:2]
    except FileNotFoundError:
        return
    subprocess.run(as_owner([os.path.join(bindir(), "pg_ctl"), "-D",
                             os.path.join(root, "data"), "-m", "immediate", "stop"]),
                   capture_output=True)
    shutil.rmtree(root, ignore_errors=True)
    os.unlink(state)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("start", "stop"):
        sys.exit("usage: pgcluster.py start|stop STATE")
    (start if sys.argv[1] == "start" else stop)(sys.argv[2])
