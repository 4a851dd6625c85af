"""Hostile and clumsy input over real HTTP: every answer is a JSON 4xx with a code and a message
in the caller's language, never a 500 nor the site's HTML page (issue 11, defects 4 and 9)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from gendan.orders.models import Order
from gendan.orders.tests.test_api import Http, new_order_body


@pytest.fixture
def http(live_server) -> Http:
    return Http(live_server.url)


@pytest.fixture
def merch(http, world) -> str:
    return http.token("merch")


def send_raw(http: Http, method: str, path: str, token: str, data: bytes, **headers: str):
    """What `curl --data-binary` sends: the bytes as they are."""
    request = urllib.request.Request(http.base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Bearer {token}")
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_lone_surrogate_is_refused_as_invalid_text(http, merch):
    """`"notes": "\\ud800"` parses as JSON but no database stores it: 422, nothing written."""
    body = json.dumps(new_order_body(notes="x")).replace('"notes": "x"', '"notes": "\\ud800"')
    assert '"\\ud800"' in body
    status, headers, content = send_raw(
        http, "POST", "/orders", merch, body.encode(), **{"Accept-Language": "en"}
    )
    assert status == 422, content[:300]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    answer = json.loads(content)
    assert answer["code"] == "invalid_text"
    assert "surrogate" in answer["message"]
    assert Order.objects.count() == 0
    # in a key, in a list, on a PATCH: the same
    order = http.post("/orders", merch, new_order_body()).body["number"]
    for path, method, raw in [
        (f"/orders/{order}", "PATCH", b'{"reason": "x", "customer_po": "\\udfff"}'),
        ("/orders", "POST", b'{"\\ud83d": 1}'),
        (
            "/customers",
            "POST",
            b'{"code": "C1", "name": "x", "channel": "export", "contacts": [{"name": "\\ud800"}]}',
        ),
    ]:
        status, _headers, content = send_raw(http, method, path, merch, raw)
        assert (status, json.loads(content)["code"]) == (422, "invalid_text"), (path, content)


def test_a_lone_surrogate_is_said_in_chinese(http, merch):
    raw = b'{"reason": "x", "notes": "\\ud800"}'
    number = http.post("/orders", merch, new_order_body()).body["number"]
    status, _headers, content = send_raw(
        http, "PATCH", f"/orders/{number}", merch, raw, **{"Accept-Language": "zh-hans"}
    )
    assert status == 422
    assert json.loads(content)["message"] == (
        "请求中有一个不是文字的字符（半个 UTF-16 代理对，例如 \\ud800）。"
    )


def test_a_body_over_the_limit_answers_413(http, merch):
    """A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): 413 request_too_large, not 500."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert limit == 2_621_440
    body = new_order_body(notes="备" * (limit // 3 + 10))
    raw = json.dumps(body, ensure_ascii=False).encode()
    assert len(raw) > limit
    for method, path in [
        ("POST", "/orders"),
        ("POST", "/customers"),
        ("PUT", "/loading/container-types/X"),
    ]:
        status, headers, content = send_raw(
            http, method, path, merch, raw, **{"Accept-Language": "en"}
        )
        assert status == 413, (path, content[:300])
        assert headers["Content-Type"] == "application/json; charset=utf-8"
        answer = json.loads(content)
        assert answer["code"] == "request_too_large"
        assert answer["details"] == {"limit_bytes": limit}
        assert answer["message"].startswith("The request body is larger than 2621440 bytes")
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nothing-here"),
        ("GET", "/orders/SO-1/nothing"),
        ("POST", "/orders/SO-1/payments/extra"),
        ("GET", "/"),
    ],
)
def test_an_unknown_api_path_answers_the_json_error(http, merch, method, path):
    answer = http.call(method, path, token=merch, headers={"Accept-Language": "en"})
    assert answer.status == 404
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    assert answer.body == {"code": "not_found", "message": "Not found.", "details": {}}


def test_an_unknown_api_path_answers_json_without_a_token(http, world):
    answer = http.call("GET", "/no/such/thing", headers={"Accept-Language": "zh-hans"})
    assert answer.status == 404
    assert answer.body["code"] == "not_found"
    assert answer.body["message"] == "未找到。"


# ---- validation messages in one language --------------------------------------------------------


def test_a_validation_error_is_said_entirely_in_chinese(http, merch):
    zh = {"Accept-Language": "zh-hans"}
    body = new_order_body()
    del body["customer"]
    answer = http.post("/orders", merch, body, headers=zh)
    assert answer.status == 422
    assert answer.body["code"] == "invalid_input"
    assert answer.body["message"] == "customer 处输入无效：这个字段是必填项。"
    assert answer.body["details"]["errors"] == [
        {
            "loc": ["body", "data", "customer"],
            "where": "customer",
            "msg": "这个字段是必填项。",
            "type": "missing",
        }
    ]


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ({"customer_po": "P" * 61}, "customer_po", "最多 60 个字符。"),
        ({"contract_date": "31/12/2026"}, "contract_date", "应为日期，例如 2026-12-31。"),
        ({"incoterm": "XYZ"}, "incoterm", "必须是以下之一："),
        (
            {"lines": [{"product": "BC-101", "quantity": 1, "unit_price": "abc"}]},
            "lines[0].unit_price",
            "应为十进制数，例如 12.50。",
        ),
        (
            {"lines": [{"product": "BC-101", "quantity": 1, "unit_price": "1.23456"}]},
            "lines[0].unit_price",
            "小数点后最多 4 位数字。",
        ),
        (
            {"lines": [{"product": "BC-101", "quantity": 1, "unit_price": "123456789.5"}]},
            "lines[0].unit_price",
            "小数点前最多 8 位数字。",
        ),
        (
            {"lines": [{"product": "BC-101", "quantity": 0, "unit_price": "1"}]},
            "lines[0].quantity",
            "不能小于 1。",
        ),
        ({"lines": []}, "lines", "至少 1 项。"),
    ],
)
def test_the_common_errors_are_said_in_chinese(http, merch, change, where, message):
    answer = http.post(
        "/orders", merch, new_order_body(**change), headers={"Accept-Language": "zh-hans"}
    )
    assert answer.status == 422, answer.body
    first = answer.body["details"]["errors"][0]
    assert first["where"] == where
    assert first["msg"].startswith(message)
    assert answer.body["message"] == f"{where} 处输入无效：{first['msg']}"
    assert not any(word in answer.body["message"] for word in ("Input", "should", "Field", "body"))


def test_a_query_parameter_error_names_the_parameter(http, merch):
    answer = http.get("/orders?limit=0", merch, headers={"Accept-Language": "zh-hans"})
    assert answer.status == 422
    assert answer.body["message"] == "查询参数 limit 处输入无效：不能小于 1。"
    english = http.get("/orders?limit=0", merch, headers={"Accept-Language": "en"})
    assert english.body["message"] == "Invalid input at query parameter limit: Must be at least 1."


def test_an_idempotency_key_too_long_is_refused(http, merch):
    answer = http.post("/orders", merch, new_order_body(), headers={"Idempotency-Key": "k" * 201})
    assert (answer.status, answer.body["code"]) == (422, "idempotency_key_invalid")
    assert Order.objects.count() == 0
