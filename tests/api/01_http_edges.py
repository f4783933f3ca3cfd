"""HTTP edges, sent over raw sockets: error bodies stay valid JSON whatever bytes the
request carries; an over-long target (414) or request head (431) and ambiguous message
framing (two Content-Lengths, Content-Length with Transfer-Encoding, an unknown transfer
coding: 400) are answered with TMF JSON error bodies before any handler runs; and the
server's log never shows mobile numbers, identification numbers or e-mail addresses."""

import json
import re
import socket
import urllib.parse

import harness
from harness import Server

CUST = "/tmf-api/customerManagement/v4/customer"
IND = "/tmf-api/party/v4/individual"


class RawResponse:
    def __init__(self, data):
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status_line = lines[0]
        self.status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else None
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        n = int(self.headers.get("content-length", len(body)))
        self.body = body[:n]
        self.rest = body[n:]  # anything sent after this response

    def json(self):
        """The body parsed as strict JSON: UTF-8 (Python's decoder refuses anything
        else) holding no raw control characters."""
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return f"<{self.status_line} {self.body[:300]!r}>"


def exchange(s, data, timeout=harness.TIMEOUT):
    """Sends data on a new connection and reads until the server closes it."""
    c = socket.create_connection(("127.0.0.1", s.port), timeout=timeout)
    try:
        c.sendall(data)
        out = b""
        while True:
            try:
                b = c.recv(65536)
            except ConnectionResetError:
                break  # the server may close before reading all we sent
            if not b:
                break
            out += b
    finally:
        c.close()
    assert out, "no answer"
    return RawResponse(out)


def request(s, head, body=b"", auth=True):
    """A raw request: head is the request line and headers (str, no final CRLF)."""
    lines = head.split("\n")
    if auth:
        lines.append("Authorization: Bearer " + s.token)
    lines.append("Connection: close")
    data = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n"
    return exchange(s, data + body)


def assert_json_error(r, status, contains=None):
    """r is a TMF error body with this status, served as application/json."""
    assert r.status == status, f"want {status}, got {r}"
    assert (r.headers.get("content-type") or "").startswith("application/json"), r.headers
    body = r.json()
    for key in ("code", "reason", "message", "status", "@type"):
        assert key in body, f"error body lacks '{key}': {body}"
    assert body["status"] == str(status) and "." in body["code"], body
    assert body["@type"] == "Error", body
    if contains:
        assert contains in body["message"], f"'{contains}' not in '{body['message']}'"
    assert r.headers.get("x-request-id"), r.headers
    return body


# ---- error bodies are valid JSON ----

def test_invalid_utf8_in_path_gives_valid_json():
    with Server() as s:
        r = request(s, f"GET {CUST}/%ff%fe HTTP/1.1\nHost: x")
        body = assert_json_error(r, 404)
        assert "\\xff\\xfe" in body["message"], body
        # the same bytes sent raw, and control characters
        r = exchange(s, f"GET {CUST}/".encode() + b"\xff\xfe%1b%09 HTTP/1.1\r\nHost: x\r\n"
                     b"Authorization: Bearer " + s.token.encode() + b"\r\n"
                     b"Connection: close\r\n\r\n")
        body = assert_json_error(r, 404)
        assert "\\xff\\xfe\\x1b\\x09" in body["message"], body


def test_invalid_utf8_in_query_gives_valid_json():
    with Server() as s:
        r = request(s, "GET /api/v1/org-units?%c3%28=1 HTTP/1.1\nHost: x")
        body = assert_json_error(r, 400, "unknown filter attribute")
        assert "\\xc3(" in body["message"], body


# ---- the server's own limits, before any handler ----

def test_long_target_is_414_json():
    with Server() as s:
        r = request(s, "GET /api/v1/org-units?fields=" + "a" * 9000 + " HTTP/1.1\nHost: x")
        assert_json_error(r, 414, "request target")
        assert r.headers.get("connection", "").lower() == "close", r.headers
        # well beyond the limit, still ours
        r = request(s, "GET /" + "a" * 40000 + " HTTP/1.1\nHost: x", auth=False)
        assert_json_error(r, 414)
        # just below it: routed as usual
        r = request(s, "GET /no-such-route?x=" + "a" * 8000 + " HTTP/1.1\nHost: x")
        assert_json_error(r, 404)
        assert s.get("/healthz").status == 200


def test_large_header_is_431_json():
    with Server() as s:
        r = request(s, "GET /healthz HTTP/1.1\nHost: x\nX-Big: " + "b" * 17000)
        assert_json_error(r, 431, "headers are larger than")
        many = "\n".join(f"X-H{i}: {'v' * 60}" for i in range(300))
        r = request(s, "GET /healthz HTTP/1.1\nHost: x\n" + many)
        assert_json_error(r, 431, "headers are larger than")
        # small, but too many of them
        many = "\n".join(f"X-H{i}: v" for i in range(150))
        r = request(s, "GET /healthz HTTP/1.1\nHost: x\n" + many)
        assert_json_error(r, 431, "at most 100 headers")
        many = "\n".join(f"X-H{i}: v" for i in range(400))
        assert_json_error(request(s, "GET /healthz HTTP/1.1\nHost: x\n" + many), 431)
        # well beyond the limit, still ours
        r = request(s, "GET /healthz HTTP/1.1\nHost: x\nCookie: " + "c" * 24000)
        assert_json_error(r, 431)
        r = request(s, "GET /healthz HTTP/1.1\nHost: x\nX-Big: " + "c" * 40000)
        assert_json_error(r, 431)
        # a large head within the limit is fine
        r = request(s, "GET /healthz HTTP/1.1\nHost: x\nX-Big: " + "b" * 12000)
        assert r.status == 200, r


# ---- message framing ----

ORG_BODY = b'{"id":"GD","name":"x","kind":"province","parentId":"HQ"}'


def org_units(s):
    return s.get("/api/v1/org-units", new_conn=True).header("X-Total-Count")


def test_two_content_lengths_are_400():
    with Server() as s:
        before = org_units(s)
        n = len(ORG_BODY)
        r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       f"Content-Type: application/json\nContent-Length: {n}\n"
                       f"Content-Length: {n + 5}", ORG_BODY + b"XXXXX")
        assert_json_error(r, 400, "Content-Length")
        assert r.headers.get("connection", "").lower() == "close", r.headers
        assert r.rest == b"", r.rest  # nothing of the body was read as a second request
        # one header with a list of two lengths is the same thing
        r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       f"Content-Type: application/json\nContent-Length: {n}\n"
                       f"Content-Length: 0", ORG_BODY)
        assert_json_error(r, 400, "Content-Length")
        assert org_units(s) == before


def test_same_content_length_twice_is_accepted():
    with Server() as s:
        n = len(ORG_BODY)
        r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       f"Content-Type: application/json\nContent-Length: {n}\n"
                       f"Content-Length: {n}", ORG_BODY)
        assert r.status == 201, r


def test_content_length_with_chunked_is_400():
    with Server() as s:
        before = org_units(s)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(ORG_BODY), ORG_BODY)
        r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       f"Content-Type: application/json\nContent-Length: 4\n"
                       f"Transfer-Encoding: chunked", chunked)
        assert_json_error(r, 400, "Transfer-Encoding")
        assert r.rest == b"", r.rest
        # a Content-Length that libmicrohttpd would refuse, next to chunked: ours too
        r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       f"Content-Type: application/json\nTransfer-Encoding: chunked\n"
                       f"Content-Length: abc", chunked)
        assert_json_error(r, 400)
        assert org_units(s) == before
        # chunked alone is fine
        r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       f"Content-Type: application/json\nTransfer-Encoding: chunked", chunked)
        assert r.status == 201, r


def test_unknown_transfer_coding_is_400():
    with Server() as s:
        for te in ("gzip", "gzip, chunked", "chunked, chunked"):
            r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                           f"Content-Type: application/json\nTransfer-Encoding: {te}",
                        ORG_BODY)
            assert_json_error(r, 400, "Transfer-Encoding")
        r = request(s, "POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       "Content-Type: application/json\nTransfer-Encoding: chunked\n"
                       "Transfer-Encoding: gzip", ORG_BODY)
        assert_json_error(r, 400, "Transfer-Encoding")
        # HTTP/1.0 has no transfer codings
        r = request(s, "POST /api/v1/org-units HTTP/1.0\nHost: x\n"
                       "Content-Type: application/json\nTransfer-Encoding: chunked",
                    b"%x\r\n%s\r\n0\r\n\r\n" % (len(ORG_BODY), ORG_BODY))
        assert_json_error(r, 400, "Transfer-Encoding")


def test_space_before_header_colon_is_400():
    with Server() as s:
        before = org_units(s)
        r = request(s, f"POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       f"Content-Type: application/json\nContent-Length : {len(ORG_BODY)}",
                    ORG_BODY)
        assert_json_error(r, 400, "white space before its colon")
        r = request(s, "GET /healthz HTTP/1.1\nHost: x\nX-Trace\t: 1")
        assert_json_error(r, 400, "white space before its colon")
        assert org_units(s) == before
        # white space after the colon is fine
        assert request(s, "GET /healthz HTTP/1.1\nHost: x\nX-Trace:   1").status == 200


def test_framing_is_checked_before_the_body_limit():
    with Server(args=["--max-body", "4096"]) as s:
        r = request(s, "POST /api/v1/org-units HTTP/1.1\nHost: x\n"
                       "Content-Type: application/json\nContent-Length: 99999\n"
                       "Content-Length: 10", b"")
        assert_json_error(r, 400, "Content-Length")


# ---- personal data in the log ----

PHONE = "13912345678"
RID = "11010519491231002X"
RID_2 = "440106199003071231"
EMAIL = "zhang.wei@example.com"


def test_log_has_no_personal_data():
    with Server() as s:
        r = s.post(IND, {"givenName": "伟", "familyName": "张",
                         "individualIdentification": [{"identificationType": "residentId",
                                                       "identificationId": RID}],
                         "contactMedium": [{"mediumType": "mobile",
                                            "characteristic": {"phoneNumber": PHONE}},
                                           {"mediumType": "email",
                                            "characteristic": {"emailAddress": EMAIL}}]})
        assert r.status == 201, r
        party = r.json
        r = s.post(CUST, {"engagedParty": {"id": party["id"], "@referredType": "Individual"}})
        assert r.status == 201, r
        queries = [PHONE, RID, RID.lower(), RID_2, "139 1234 5678", "+86 139-1234-5678", EMAIL]
        for q in queries:
            r = s.get("/api/v1/search?" + urllib.parse.urlencode({"q": q}))
            assert r.status in (200, 400), r
        assert s.get("/api/v1/search?q=" + PHONE).json, "the search found nobody"
        # every character escaped, as a client may send it
        for q in (PHONE, RID, EMAIL):
            r = s.get("/api/v1/search?q=" + "".join("%%%02X" % ord(c) for c in q))
            assert r.status in (200, 400), r
        # in paths, filters and error messages, whatever the answer
        s.get(f"{CUST}/{RID_2}")
        s.get(f"{IND}?contactMedium.characteristic.phoneNumber={PHONE}")
        s.get(f"/api/v1/no-such-route/{PHONE}?email={urllib.parse.quote(EMAIL)}")
        request(s, f"GET {CUST}/{PHONE}%ff HTTP/1.1\nHost: x")
        s.get("/api/v1/search?q=" + RID + "%00")
        log = s.read_log()
    lines = [line for line in log.splitlines() if "event=http.request" in line]
    assert len(lines) >= len(queries) + 8, log[-3000:]
    for secret in (PHONE, "1391234", "1234 5678", "1234-5678", RID, RID.lower(), RID_2,
                   "19491231", "19900307", EMAIL, "zhang.wei", "%31%33%39", "%40"):
        assert secret not in log, f"'{secret}' in the server log:\n" + \
            "\n".join(line for line in log.splitlines() if secret in line)
    # masked, not dropped: what operations need to follow a case is there
    for shown in ("q=139****5678", "q=1101**********002X", "q=4401**********1231",
                  "q=139+****+5678", "q=z***@example.com", f"{CUST}/4401**********1231"):
        assert shown in log, f"'{shown}' not in the server log:\n" + "\n".join(lines)
    # and the log is UTF-8 throughout
    assert "\ufffd" not in log, [line for line in log.splitlines() if "\ufffd" in line]


harness.main(globals())
