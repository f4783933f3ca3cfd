"""The web app: `serve --web DIR` serves a built bundle at `/` — index.html for deep links,
hashed assets cached for a year, gzip, 304 on If-None-Match, HEAD, security headers — while
the API's paths keep their JSON errors and nothing outside DIR is ever served."""

import gzip
import os
import shutil
import socket
import tempfile

import harness
from harness import Server, assert_error

INDEX = ("<!doctype html><html><head><script type=module src=/assets/app-abc123.js>"
         "</script></head><body><div id=app></div></body></html>\n")
JS = "export function app(){return 'hello';}\n" * 400
CSS = "body{margin:0;font-family:sans-serif}\n" * 50

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


def make_bundle():
    d = tempfile.mkdtemp(prefix="telcrm-web-")
    os.makedirs(os.path.join(d, "assets"))
    for name, text in (("index.html", INDEX), ("assets/app-abc123.js", JS),
                       ("assets/app-abc123.css", CSS), (".env", "SECRET=1\n")):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    return d


class Web:
    """A server with a fake bundle; the bundle is removed afterwards."""

    def __init__(self, extra=()):
        self.dir = make_bundle()
        self.server = Server(args=["--web", self.dir] + list(extra))

    def __enter__(self):
        return self.server.start()

    def __exit__(self, *exc):
        try:
            self.server.__exit__(*exc)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def assert_index(r):
    assert r.status == 200, r
    assert r.text == INDEX, r
    assert r.header("Content-Type") == "text/html; charset=utf-8", r.headers
    assert r.header("Cache-Control") == "no-cache", r.headers
    assert r.header("Content-Security-Policy") == CSP, r.headers
    assert r.header("X-Content-Type-Options") == "nosniff", r.headers
    assert r.header("Referrer-Policy") == "same-origin", r.headers
    assert r.header("X-Frame-Options") == "DENY", r.headers
    assert r.header("Vary") == "Accept-Encoding", r.headers
    assert (r.header("ETag") or "").startswith('"'), r.headers


def raw_get(port, target):
    """Sends a request line as is (no client-side normalisation); returns (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=harness.TIMEOUT) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def test_index_and_deep_links():
    with Web() as s:
        for path in ("/", "/index.html", "/customers/x", "/admin/users?tab=1", "/customers/",
                     "/customers/123?q=%zz"):
            r = s.get(path, auth=None)
            assert_index(r)


def test_assets_are_immutable():
    with Web() as s:
        r = s.get("/assets/app-abc123.js", auth=None)
        assert r.status == 200 and r.text == JS, r
        assert "javascript" in r.header("Content-Type"), r.headers
        assert r.header("Cache-Control") == "public, max-age=31536000, immutable", r.headers
        assert r.header("X-Content-Type-Options") == "nosniff", r.headers
        assert r.header("Vary") == "Accept-Encoding", r.headers
        assert r.header("Content-Security-Policy") is None, r.headers
        r = s.get("/assets/app-abc123.css?v=2", auth=None)
        assert r.status == 200 and r.text == CSS, r
        assert r.header("Content-Type") == "text/css; charset=utf-8", r.headers


def test_gzip_negotiation():
    with Web() as s:
        conn = s.connection()
        conn.request("GET", "/assets/app-abc123.js", headers={"Accept-Encoding": "gzip, br"})
        r = conn.getresponse()
        body = r.read()
        assert r.status == 200, r.status
        assert r.getheader("Content-Encoding") == "gzip", r.getheaders()
        assert len(body) < len(JS) // 10, len(body)
        assert gzip.decompress(body).decode() == JS
        assert int(r.getheader("Content-Length")) == len(body)
        gz_etag = r.getheader("ETag")
        conn.request("GET", "/assets/app-abc123.js", headers={"Accept-Encoding": "gzip;q=0"})
        r = conn.getresponse()
        assert r.read().decode() == JS and r.getheader("Content-Encoding") is None
        assert r.getheader("ETag") != gz_etag
        conn.request("GET", "/assets/app-abc123.js",
                     headers={"Accept-Encoding": "gzip", "If-None-Match": gz_etag})
        r = conn.getresponse()
        assert r.status == 304 and r.read() == b"", r.status
        conn.close()


def test_not_modified():
    with Web() as s:
        for path in ("/assets/app-abc123.js", "/", "/customers/1"):
            etag = s.get(path, auth=None).header("ETag")
            r = s.get(path, auth=None, headers={"If-None-Match": etag})
            assert r.status == 304 and r.text == "", r
            assert r.header("ETag") == etag, r.headers
            assert r.header("Cache-Control"), r.headers
            r = s.get(path, auth=None, headers={"If-None-Match": '"something-else"'})
            assert r.status == 200, r


def test_head_has_headers_and_no_body():
    with Web() as s:
        for path, length in (("/assets/app-abc123.js", len(JS)), ("/deep/link", len(INDEX))):
            r = s.request("HEAD", path, auth=None)
            assert r.status == 200 and r.text == "", r
            assert r.header("ETag") and r.header("Cache-Control"), r.headers
            assert int(r.header("Content-Length")) == length, r.headers
        # the keep-alive connection is still usable after the HEAD
        assert s.get("/assets/app-abc123.css", auth=None).text == CSS


def test_missing_asset_and_api_paths_are_json_404():
    with Web() as s:
        r = assert_error(s.get("/assets/missing.js", auth=None), 404)
        assert "html" not in r["message"]
        assert s.get("/assets/missing.js", auth=None).header("Content-Type").startswith(
            "application/json")
        assert_error(s.get("/assets/", auth=None), 404)
        assert_error(s.get("/api/v1/nope"), 404, "no route")
        assert_error(s.get("/tmf-api/x"), 404, "no route")
        assert_error(s.get("/metrics/x", auth=None), 404)
        assert_error(s.get("/healthz/x", auth=None), 404)
        # API routes still work beside the app
        assert s.get("/healthz", auth=None).json == {"status": "ok"}
        assert s.get("/api/v1/org-units").status == 200
        assert_error(s.get("/api/v1/org-units", auth=None), 401)


def test_traversal_never_leaves_the_dir():
    with Web() as s:
        for target in ("/../etc/passwd", "/%2e%2e/etc/passwd", "/%2E%2E/%2e%2e/etc/passwd",
                       "/assets/../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
                       "//etc/passwd", "/assets/..%2f..%2fetc%2fpasswd", "/%5c..%5cetc",
                       "/a%00b", "/.env", "/assets/%2e%2e/index.html", "/..", "/%2e"):
            status, body = raw_get(s.port, target)
            assert status in (200, 400, 404), (target, status)
            assert b"root:" not in body and b"SECRET" not in body, (target, body[:200])
            if status == 200:
                assert body.decode() == INDEX, (target, body[:200])


def test_post_to_the_app_is_405():
    with Web() as s:
        r = assert_error(s.post("/", {"a": 1}, auth=None), 405)
        assert s.post("/", {"a": 1}, auth=None).header("Allow") == "GET, HEAD"
        assert_error(s.request("DELETE", "/assets/app-abc123.js", auth=None), 405)
        # paths the app does not answer keep their 404
        assert_error(s.post("/assets/missing.js", {"a": 1}, auth=None), 404)
        assert r


def test_access_log_and_metrics_count_static():
    with Web() as s:
        s.get("/", auth=None)
        s.get("/assets/app-abc123.js", auth=None)
        text = s.get("/metrics").text
        assert 'route="static",method="GET",code="2xx"} 2' in text, text[:3000]
        log = s.read_log()
        assert "event=web.loaded" in log and "files=3" in log, log[-2000:]
        assert "route=static" in log, log[-2000:]


def test_missing_web_dir_is_a_warning():
    tmp = tempfile.mkdtemp(prefix="telcrm-api-")
    missing = os.path.join(tmp, "no-such-dist")
    with Server(args=["--web", missing], tmp=tmp) as s:
        assert s.get("/healthz", auth=None).status == 200
        assert s.get("/api/v1/org-units").status == 200
        assert_error(s.get("/", auth=None), 404, "no route")
        assert_error(s.get("/customers/1", auth=None), 404)
        log = s.read_log()
        assert "event=web.missing" in log and "no-such-dist" in log, log[-2000:]
    # the default (web/dist below the working directory) need not exist either
    with Server() as s:
        assert s.get("/api/v1/org-units").status == 200
    # an empty value turns the app off without a warning
    with Server(args=["--web", ""]) as s:
        assert s.get("/api/v1/org-units").status == 200
        assert "web.missing" not in s.read_log()


def test_web_dir_that_is_a_file_is_refused():
    tmp = tempfile.mkdtemp(prefix="telcrm-api-")
    path = os.path.join(tmp, "file")
    with open(path, "w") as f:
        f.write("x")
    rc, out, err = harness.run_cli("serve", "--listen", "127.0.0.1:0", "--web", path,
                                   db=os.path.join(tmp, "t.db"))
    shutil.rmtree(tmp, ignore_errors=True)
    assert rc == 1 and "is not a directory" in err, (rc, out, err)


harness.main(globals())
