"""The published OpenAPI document says what the server does (issue 11, defect 9): one component
per schema class, the order's lines pointing to the order line, the headers the operations read,
the 409 of a retry still running, and the digits a decimal takes; a request built from the
document alone creates an order."""

from __future__ import annotations

import json
import re
import typing
import urllib.request
from datetime import timedelta
from enum import Enum
from typing import Any

import pydantic
import pytest
from django.utils import timezone

from gendan.api import api
from gendan.orders.models import Order
from gendan.orders.tests.test_api import Http


def _classes(annotation: Any, seen: set[type]) -> None:
    """Every pydantic model and enum an annotation reaches, through lists, unions, fields."""
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        seen.add(annotation)
        return
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in seen:
            return
        if annotation.__module__.startswith("gendan."):
            seen.add(annotation)
        for field in annotation.model_fields.values():
            _classes(field.annotation, seen)
        return
    for arg in typing.get_args(annotation):
        _classes(arg, seen)


def schema_classes() -> set[type]:
    """The classes behind the document's components: every body, parameter and answer."""
    seen: set[type] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _classes(model, seen)
                for model in operation.response_models.values():
                    _classes(model, seen)
    return seen


def test_every_component_name_is_one_class():
    by_name: dict[str, set[str]] = {}
    for cls in schema_classes():
        by_name.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items() if len(where) > 1}
    assert clashes == {}
    components = api.get_openapi_schema()["components"]["schemas"]
    assert set(by_name) - {"Input"} <= set(components) | {
        name for name in by_name if name.endswith("Params")
    }


def _ref(schema: dict[str, Any]) -> str:
    for branch in [schema, *schema.get("anyOf", []), *schema.get("allOf", [])]:
        if "$ref" in branch:
            return branch["$ref"].rsplit("/", 1)[1]
        if "items" in branch:
            return _ref(branch["items"])
    raise AssertionError(schema)


def test_an_orders_lines_are_order_lines_and_a_plans_lines_are_plan_lines():
    components = api.get_openapi_schema()["components"]["schemas"]
    for name in ("OrderIn", "OrderPatch"):
        line = components[_ref(components[name]["properties"]["lines"])]
        assert set(line["required"]) == {"product", "quantity", "unit_price"}, name
        assert {"colour", "size", "packs"} <= set(line["properties"])
    plan_line = components[_ref(components["PlanIn"]["properties"]["lines"])]
    assert _ref(components["PlanIn"]["properties"]["lines"]) == "PlanLineIn"
    assert set(plan_line["required"]) == {"order", "line"}


def _operation(method: str, path: str) -> dict[str, Any]:
    return api.get_openapi_schema()["paths"][path][method]


def _headers(op: dict[str, Any]) -> set[str]:
    return {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}


def test_the_headers_the_operations_read_are_documented():
    from gendan.orders.workflow import TRANSITIONS

    create = _operation("post", "/api/v1/orders")
    assert _headers(create) == {"Idempotency-Key"}
    assert "idempotency_in_progress" in create["responses"][409]["description"]
    assert _headers(_operation("patch", "/api/v1/orders/{number}")) == {"If-Match"}
    assert _headers(_operation("post", "/api/v1/orders/{number}/payments")) == {
        "Idempotency-Key",
        "If-Match",
    }
    for t in TRANSITIONS:
        if t.action == "amend":
            continue
        op = _operation("post", f"/api/v1/orders/{{number}}/actions/{t.action}")
        expected = {"If-Match", "Idempotency-Key"} if t.idempotent else {"If-Match"}
        assert _headers(op) == expected, t.action
        if t.idempotent:
            assert "idempotency_in_progress" in op["responses"][409]["description"]
    assert any(t.idempotent for t in TRANSITIONS)
    # no operation that ignores them claims to read them
    assert _headers(_operation("get", "/api/v1/orders")) == set()


def _branches(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The alternatives of a property, nested ones (a nullable decimal) flattened."""
    if "anyOf" not in prop:
        return [prop]
    return [prop] + [leaf for branch in prop["anyOf"] for leaf in _branches(branch)]


def _string_branch(prop: dict[str, Any]) -> dict[str, Any]:
    strings = [b for b in _branches(prop) if b.get("type") == "string"]
    assert len(strings) == 1, prop
    return strings[0]


@pytest.mark.parametrize(
    ("component", "field", "good", "bad"),
    [
        ("LineIn", "unit_price", ["12.5", "12345678.1234", "1.50000"], ["1.23456", "123456789"]),
        ("CustomerIn", "deposit_percent", ["30", "12.34"], ["12.345", "1000"]),
        ("PaymentIn", "amount", ["1380.60"], ["1.001"]),
        ("RecordPaymentIn", "amount", ["1380.60"], ["1.001", "1234567890123"]),
    ],
)
def test_the_digits_a_decimal_takes_are_published(component, field, good, bad):
    """A 4-decimal percentage is refused, and the document now says so before it is sent."""
    prop = api.get_openapi_schema()["components"]["schemas"][component]["properties"][field]
    pattern = re.compile(_string_branch(prop)["pattern"])
    assert any("digits" in b.get("description", "") for b in _branches(prop))
    assert [v for v in good if not pattern.match(v)] == []
    assert [v for v in bad if pattern.match(v)] == []


def _example(name: str, prop: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value for a required property, chosen from what the document says of it alone."""
    today = timezone.localdate()
    known = {"customer": "EXP001", "product": "BC-101", "merchandiser": "merch"}
    if name in known:
        return known[name]
    kinds = {b.get("type") for b in prop.get("anyOf", [prop])}
    if prop.get("format") == "date":
        return (today + timedelta(days=30 if "delivery" in name else 0)).isoformat()
    if "array" in kinds:
        item = components[_ref(prop)]
        return [_body(item, components)]
    if "integer" in kinds:
        return max(1, prop.get("minimum", 1))
    if "string" in kinds and "number" in kinds:  # a decimal
        return "9.50"
    raise AssertionError(f"no example for {name}: {prop}")


def _body(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    return {
        name: _example(name, schema["properties"][name], components)
        for name in schema.get("required", [])
    }


def test_a_request_built_from_the_published_document_creates_an_order(live_server, world):
    http = Http(live_server.url)
    with urllib.request.urlopen(f"{live_server.url}/api/v1/openapi.json") as response:
        document = json.loads(response.read())
    components = document["components"]["schemas"]
    create = document["paths"]["/api/v1/orders"]["post"]
    order_in = components[_ref(create["requestBody"]["content"]["application/json"]["schema"])]
    body = _body(order_in, components)
    assert set(body) == {"customer", "contract_date", "delivery_date", "lines"}
    # a salesperson files the order: the document says they must name the merchandiser, and
    # where to find one
    merchandiser = order_in["properties"]["merchandiser"]["description"]
    assert "required unless you are a merchandiser" in merchandiser
    assert "/api/v1/people?role=merchandiser" in merchandiser
    body["merchandiser"] = "merch"
    answer = http.post("/orders", http.token("sales"), body)
    assert answer.status == 201, answer.body
    order = Order.objects.get(number=answer.body["number"])
    assert (order.merchandiser.username, order.lines.get().product.code) == ("merch", "BC-101")
