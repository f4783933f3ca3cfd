"""Rules (/api/v1/rules): validation of rule text against a named or inline schema —
normalised text and result type, or errors with code, position and suggestion — the
malformed requests that are TMF errors instead, and the list of schemas."""

import json

import harness
from harness import Server, assert_error

VALIDATE = "/api/v1/rules/validate"
SCHEMAS = "/api/v1/rules/schemas"


def validate(s, text, schema="orgUnit"):
    r = s.post(VALIDATE, {"text": text, "schema": schema})
    assert r.status == 200, r
    return r.json


def test_valid_rule_answers_normalised_text_and_type():
    with Server() as s:
        b = validate(s, "kind='city'  AND createdDate>=2026-01-01 && NOT status <> 'active'")
        assert b == {"valid": True,
                     "normalised": "kind = 'city' and createdDate >= 2026-01-01 and "
                                   "not status != 'active'",
                     "resultType": "bool"}, b
        # the normalised text is itself valid and normalises to itself
        again = validate(s, b["normalised"])
        assert again["normalised"] == b["normalised"], again
        b = validate(s, "version * 2 + 1")
        assert b["valid"] and b["resultType"] == "int", b
        b = validate(s, "path starts_with '/HQ/GD/' and lastUpdate > today() - 30d")
        assert b["valid"], b
        b = validate(s, "coalesce(parentId, 'none')")
        assert b["resultType"] == "string", b


def test_inline_schema():
    with Server() as s:
        schema = {"arpu_3m": "number", "complaints_90d": "int", "segment": "string",
                  "prepaid": "bool", "signup": "date", "grace": "duration"}
        b = validate(s, "arpu_3m < 20 and complaints_90d >= 2 and segment in ('smb') and "
                        "not prepaid and signup < today() - 6m and grace > 2w", schema)
        assert b["valid"] and b["resultType"] == "bool", b
        b = validate(s, "1 + 1 = 2", {})
        assert b["valid"], b
        b = validate(s, "arpu_3n < 20", schema)
        assert not b["valid"], b
        assert b["errors"][0]["suggestion"] == "did you mean 'arpu_3m'?", b


def test_errors_have_code_position_and_suggestion():
    with Server() as s:
        # one of each kind; positions: line and column from 1 (characters), offset in bytes
        cases = [
            ("kind = 'city' and stauts = 'active'",
             "unknown_attribute", "unknown attribute 'stauts'", 1, 19, 18,
             "did you mean 'status'?"),
            ("lenght(name) > 3", "unknown_function", "unknown function 'lenght'", 1, 1, 0,
             "did you mean 'len'?"),
            ("version = 'one'", "type", "cannot compare int with string using '='", 1, 9, 8,
             None),
            ("createdDate < 1", "type", "cannot compare date with int using '<'", 1, 13, 12,
             None),
            ("kind == 'city' and (name = 'x'", "syntax",
             "expected ')' but found end of text", 1, 31, 30, None),
            ("version < 1 < 2", "syntax", "comparisons cannot be chained", 1, 13, 12,
             "join conditions with 'and'"),
            ("name = \"x\"", "syntax", "unexpected character '\"'", 1, 8, 7,
             "strings are quoted with ', as in 'abc'"),
            ("createdDate > 2026-02-30", "syntax", "invalid date '2026-02-30'", 1, 15, 14,
             None),
            ("", "syntax", "rule is empty", 1, 1, 0, None),
            ("(" * 65 + "true" + ")" * 65, "limit",
             "expression is nested more than 64 levels deep", 1, 65, 64, None),
        ]
        for text, code, message, line, column, offset, suggestion in cases:
            b = validate(s, text)
            assert b["valid"] is False and "normalised" not in b, (text, b)
            e = b["errors"][0]
            want = {"code": code, "message": message, "line": line, "column": column,
                    "offset": offset}
            if suggestion:
                want["suggestion"] = suggestion
            assert e == want, (text, e, want)


def test_several_errors_and_multiline_utf8_positions():
    with Server() as s:
        text = "name = '广州市' and knd = 'city'\n  and foo(id) > 1\n  and version < 'x'"
        b = validate(s, text)
        assert not b["valid"], b
        errs = b["errors"]
        assert [e["code"] for e in errs] == ["unknown_attribute", "unknown_function",
                                             "type"], errs
        # column counts characters, offset counts bytes: 广州市 is 3 characters, 9 bytes
        assert (errs[0]["line"], errs[0]["column"], errs[0]["offset"]) == (1, 18, 23), errs
        assert errs[0]["suggestion"] == "did you mean 'kind'?"
        assert (errs[1]["line"], errs[1]["column"]) == (2, 7), errs
        assert (errs[2]["line"], errs[2]["column"]) == (3, 15), errs
        assert text.encode()[errs[1]["offset"]:].startswith(b"foo"), errs


def test_malformed_requests_are_tmf_errors():
    with Server() as s:
        cases = [
            ({"schema": "orgUnit"}, 400, "'text' is required", "text"),
            ({"text": "1 = 1"}, 400, "'schema' is required", "schema"),
            ({"text": 5, "schema": "orgUnit"}, 400, "'text' must be a string", "text"),
            ({"text": None, "schema": "orgUnit"}, 400, "'text' must not be null", "text"),
            ({"text": "1", "schema": 5}, 400,
             "'schema' must be the name of a schema or an object of attribute types",
             "schema"),
            ({"text": "1", "schema": ["int"]}, 400, "must be the name of a schema", "schema"),
            ({"text": "1", "schema": "customer"}, 400,
             "unknown schema 'customer'; the schemas are 'orgUnit'", "schema"),
            ({"text": "1", "schema": {"a": "float"}}, 400,
             "attribute 'a' has unknown type 'float'", "schema.a"),
            ({"text": "1", "schema": {"a": 1}}, 400,
             "the type of attribute 'a' must be a string", "schema.a"),
            ({"text": "1", "schema": {"not": "int"}}, 400,
             "attribute name 'not' is a keyword", "schema.not"),
            ({"text": "1", "schema": {"a b": "int"}}, 400,
             "attribute name 'a b' is not valid", "schema.a b"),
            ({"text": "1", "schema": "orgUnit", "mode": "strict"}, 400,
             "unknown field 'mode'", "mode"),
            ([], 400, "'body' must be an object", None),
        ]
        for body, status, message, field in cases:
            e = assert_error(s.post(VALIDATE, body), status, message)
            assert e.get("field") == field, (body, e)
        assert_error(s.request("POST", VALIDATE, raw='{"text": "1",\n "schema": orgUnit}',
                               headers={"Content-Type": "application/json"}),
                     400, "malformed JSON at line 2 column 12")
        assert_error(s.request("POST", VALIDATE, raw="",
                               headers={"Content-Type": "application/json"}), 400)
        assert_error(s.request("POST", VALIDATE, raw="kind = 'city'",
                               headers={"Content-Type": "text/plain"}), 415)
        assert_error(s.get(VALIDATE), 405)
        # duplicate members of an inline schema: a JSON text that says two things
        assert_error(s.request("POST", VALIDATE,
                               raw='{"text": "1", "schema": {"a": "int", "a": "date"}}',
                               headers={"Content-Type": "application/json"}),
                     400, "'a' is given twice in one object")


def test_oversize_text_is_413():
    with Server(args=["--max-body", "65536"]) as s:
        ok = "1" + " " * 16383
        assert validate(s, ok)["valid"]
        e = assert_error(s.post(VALIDATE, {"text": ok + " ", "schema": "orgUnit"}), 413,
                         "rule is 16385 bytes, over the limit of 16384")
        assert e["field"] == "text", e
        # a body over --max-body is refused before it is read
        assert_error(s.post(VALIDATE, {"text": "1" + " " * 70000, "schema": "orgUnit"},
                            new_conn=True), 413)


def test_schemas_list():
    with Server() as s:
        r = s.get(SCHEMAS)
        assert r.status == 200, r
        assert r.header("X-Total-Count") == "1" and r.header("X-Result-Count") == "1", r.headers
        (org,) = r.json
        assert org["name"] == "orgUnit" and org["description"], org
        attrs = {a["name"]: a["type"] for a in org["attributes"]}
        assert attrs == {"id": "string", "name": "string", "kind": "string",
                         "parentId": "string", "path": "string", "status": "string",
                         "version": "int", "createdDate": "date", "lastUpdate": "date"}, attrs
        assert all(a["description"] for a in org["attributes"]), org
        # every listed attribute is usable in a rule
        b = validate(s, " and ".join(f"{a} is not null" for a in attrs))
        assert b["valid"], b
        assert s.get(SCHEMAS + "?name=orgUnit").json == [org]
        r = s.get(SCHEMAS + "?name=customer")
        assert r.status == 200 and r.json == [] and r.header("X-Total-Count") == "0", r
        assert s.get(SCHEMAS + "?fields=name").json == [{"name": "orgUnit"}]
        r = s.get(SCHEMAS + "?offset=1")
        assert r.json == [] and r.header("X-Total-Count") == "1", r
        assert_error(s.get(SCHEMAS + "?kind=x"), 400, "unknown filter attribute 'kind'")
        assert_error(s.get(SCHEMAS + "?name.gt=a"), 400, "'name' equality only")
        assert_error(s.get(SCHEMAS + "?limit=0"), 400)
        assert_error(s.post(SCHEMAS, {"name": "x"}), 405)


harness.main(globals())
