"""The simulated users of the soak test (bench/soak.py starts them; see docs/benchmarks.md).

Each user is a merchandiser's desk driving orders through the real HTTP API with every role's
token, the way docs/api-walk.md does by hand: entry, submit, the two signatures, the deposit
(confirmed twice with the same Idempotency-Key: the retry must answer the first answer and
count nothing twice), release, production done, the balance or the credit terms, the shipping
notice, outbound slip, delivery note, shipment, delivery, cash on delivery counted, close. Beside
that: the order lists and an order's cockpit data, the Today page (signed in through the login
form), a loading plan for a ready order (planned by `gendan worker`), and an Excel import.

The request names are the flows the report gives the p95 of. A response the flow did not
expect is a failure; every 5xx is recorded with its endpoint and body in SOAK_COUNTS (a JSON
file bench/soak.py reads).
"""

from __future__ import annotations

import io
import json
import os
import random
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

from locust import HttpUser, between, events, task

TOKENS: dict[str, str] = json.loads(os.environ.get("SOAK_TOKENS", "{}"))
COUNTS_PATH = os.environ.get("SOAK_COUNTS", "")
PASSWORD = "gendan-demo"
CUSTOMERS = ["EXP001", "EXP001", "DIST01", "STORE01"]  # 30 % deposit, 50 % deposit, credit + COD
PRODUCTS = ["BC-101", "BC-102", "BC-201", "BC-202", "FN-101", "FN-102", "FN-201", "FN-202"]

statuses: Counter[str] = Counter()  # (name, status) as "name|status"
server_errors: list[dict[str, Any]] = []
lives: Counter[str] = Counter()


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response=None, **kw):
    if response is None or request_type == "FLOW":
        return
    code = getattr(response, "status_code", 0)
    statuses[f"{name}|{code}"] += 1
    if code >= 500 and len(server_errors) < 50:
        server_errors.append(
            {
                "flow": name,
                "method": request_type,
                "url": getattr(response, "url", ""),
                "status": code,
                "body": (getattr(response, "text", "") or "")[:2000],
                "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            }
        )


@events.quitting.add_listener
def _write_counts(environment, **kw):
    if COUNTS_PATH:
        five = sum(n for key, n in statuses.items() if key.rsplit("|", 1)[1].startswith("5"))
        with open(COUNTS_PATH, "w") as out:
            json.dump(
                {
                    "statuses": dict(sorted(statuses.items())),
                    "server_errors": five,
                    "server_error_samples": server_errors,
                    "lives": dict(lives),
                },
                out,
                indent=1,
            )


def _flow(name: str, started: float) -> None:
    """A whole flow (several requests) as one timed entry of the report."""
    events.request.fire(
        request_type="FLOW",
        name=name,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=0,
        exception=None,
        context={},
    )


class Desk(HttpUser):
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.mine: list[str] = []  # orders this desk entered (for reads)
        # the Today page is a page: sign in through the form (a session, CSRF)
        self.client.get("/login/", name="page: login form")
        csrf = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/login/",
            data={"username": "merch", "password": PASSWORD, "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{self.host}/login/"},
            name="page: sign in",
            allow_redirects=False,
        )

    # ---- the API, one role at a time ---------------------------------------------------------

    def _headers(self, role: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKENS[role]}", "Accept-Language": "en", **extra}

    def _call(
        self,
        method: str,
        path: str,
        role: str,
        name: str,
        *,
        expect: tuple[int, ...] = (200,),
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> Any:
        with self.client.request(
            method,
            "/api/v1" + path,
            headers=self._headers(role, **(headers or {})),
            name=name,
            catch_response=True,
            **kw,
        ) as response:
            if response.status_code not in expect:
                response.failure(f"{response.status_code}: {response.text[:300]}")
                return None
            response.success()
            try:
                return response.json()
            except ValueError:
                return {}

    def _act(self, number: str, action: str, role: str, body: dict[str, Any] | None = None):
        return self._call(
            "POST", f"/orders/{number}/actions/{action}", role, f"action: {action}", json=body or {}
        )

    def _pay(self, number: str, action: str, body: dict[str, Any]) -> Any:
        """A payment with an Idempotency-Key, then the same request again (a client's retry):
        the same answer, and the money counted once."""
        role = "cashier" if action == "reconcile_cod" else "finance"
        key = {"Idempotency-Key": str(uuid.uuid4())}
        path = f"/orders/{number}/actions/{action}"
        first = self._call("POST", path, role, f"action: {action}", headers=key, json=body)
        if first is None:
            return None
        with self.client.post(
            "/api/v1" + path,
            headers=self._headers(role, **key),
            json=body,
            name=f"action: {action} (same-key retry)",
            catch_response=True,
        ) as retry:
            if retry.status_code != 200:
                retry.failure(f"retry answered {retry.status_code}: {retry.text[:300]}")
            elif retry.json().get("paid_amount") != first.get("paid_amount"):
                retry.failure(
                    f"retry changed paid: {first.get('paid_amount')} -> {retry.json().get('paid_amount')}"
                )
            else:
                retry.success()
        return first

    # ---- the flows ------------------------------------------------------------------------------

    def _enter(self) -> dict[str, Any] | None:
        today = date.today()
        customer = self.rng.choice(CUSTOMERS)
        lines = [
            {
                "product": product,
                "quantity": self.rng.randint(5, 120),
                "unit_price": f"{self.rng.randint(8, 400)}.{self.rng.randint(0, 99):02d}",
            }
            for product in self.rng.sample(PRODUCTS, self.rng.randint(1, 4))
        ]
        body = {
            "customer": customer,
            "contract_date": today.isoformat(),
            "delivery_date": (today + timedelta(days=self.rng.randint(20, 60))).isoformat(),
            "customer_po": f"SOAK-{uuid.uuid4().hex[:8]}",
            "lines": lines,
        }
        if customer.startswith("EXP"):
            body["incoterm"] = "FOB"
        key = {"Idempotency-Key": str(uuid.uuid4())}
        return self._call(
            "POST", "/orders", "merch", "order entry", expect=(201,), headers=key, json=body
        )

    def _next(self, order: dict[str, Any], plan_loading: bool) -> dict[str, Any] | None:
        """Take the order one step along its way; None when a step failed."""
        n, status = order["number"], order["status"]
        cod = order.get("customer") == "STORE01"  # credit terms, cash on delivery
        if status == "draft":
            return self._act(n, "submit", "merch")
        if status == "submitted":
            if not (order.get("finance_signature") or {}).get("at"):
                return self._act(n, "sign_finance", "finance")
            return self._act(n, "sign_manager", "manager")
        if status == "signed":
            if float(order.get("deposit_due") or 0) > 0:
                return self._act(n, "request_deposit", "merch")
            return self._act(n, "release", "merch")
        if status == "deposit_requested":
            return self._pay(n, "confirm_deposit", {"reference": "TT-SOAK"})
        if status == "deposit_confirmed":
            return self._act(n, "release", "merch")
        if status == "released":
            return self._act(n, "complete_production", "production")
        if status == "produced":
            if cod:
                return self._act(n, "allow_credit", "finance")
            return self._act(n, "request_balance", "merch")
        if status == "balance_requested":
            return self._pay(n, "confirm_balance", {"reference": "TT-SOAK-B"})
        if status == "ready_to_ship":
            if plan_loading:
                self._loading_plan(n)
            order = self._act(n, "issue_shipping_notice", "merch")
            if order is None:
                return None
            order = self._act(n, "issue_outbound_slip", "finance")
            if order is None:
                return None
            due = {"cod_amount": order.get("balance_due")} if cod else {}
            if self._act(n, "issue_delivery_note", "warehouse", due) is None:
                return None
            return self._act(n, "ship", "warehouse")
        if status == "shipped":
            body: dict[str, Any] = {"received_by": "Soak", "proof_reference": "POD-SOAK"}
            if cod:
                body["cod_collected"] = self._read(n).get("balance_due")
            return self._act(n, "deliver", "driver", body)
        if status == "delivered":
            detail = self._read(n)
            if float(detail.get("balance_due") or 0) > 0:  # the driver's cash, counted
                reconciled = self._pay(n, "reconcile_cod", {"amount": detail.get("balance_due")})
                if reconciled is None or reconciled.get("status") != "delivered":
                    return reconciled
            return self._act(n, "close", "merch")
        return None

    def _read(self, number: str) -> dict[str, Any]:
        return self._call("GET", f"/orders/{number}", "merch", "order detail") or {}

    @task(6)
    def order_life(self) -> None:
        """One order from entry to closed (or as far as the roles allow)."""
        started = time.perf_counter()
        order = self._enter()
        if order is None:
            lives["entry failed"] += 1
            return
        self.mine = [*self.mine[-20:], order["number"]]
        plan_loading = self.rng.random() < 0.08
        for _ in range(30):
            if order["status"] in {"closed", "cancelled"}:
                break
            step = self._next(order, plan_loading)
            if step is None:
                break
            order = self._read(order["number"]) if "status" not in step else step
            if order.get("status") == "delivered" and step.get("status") != "delivered":
                order = self._read(order["number"])
            time.sleep(self.rng.uniform(0.05, 0.3))
        lives[order.get("status", "unknown")] += 1
        if order.get("status") == "closed":
            _flow("flow: order life, entry to closed", started)

    @task(4)
    def lists(self) -> None:
        role = self.rng.choice(["merch", "sales", "finance", "warehouse", "manager"])
        status = self.rng.choice(["", "submitted", "deposit_requested", "ready_to_ship", "closed"])
        query = f"?status={status}" if status else ""
        self._call("GET", f"/orders{query}", role, "list: orders")
        if self.mine:
            number = self.rng.choice(self.mine)
            self._read(number)
            self._call("GET", f"/orders/{number}/actions", "merch", "order actions")
        self._call("GET", "/customers", "sales", "list: customers")
        self._call("GET", "/products", "merch", "list: products")

    @task(3)
    def today(self) -> None:
        with self.client.get("/", name="page: Today", catch_response=True) as page:
            if page.status_code != 200 or "login" in page.url:
                page.failure(f"{page.status_code} {page.url}")
            else:
                page.success()

    @task(1)
    def excel_import(self) -> None:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "orders"
        sheet.append(
            [
                "order_ref", "customer", "salesperson", "merchandiser", "channel", "currency",
                "incoterm", "contract_date", "delivery_date", "customer_po", "product", "colour",
                "size", "quantity", "packs", "unit_price", "special_material",
                "packing_requirement",
            ]
        )  # fmt: skip
        today = date.today()
        ref = uuid.uuid4().hex[:6]
        for k in range(2):
            for product in self.rng.sample(PRODUCTS, 2):
                sheet.append(
                    [
                        f"IMP-{ref}-{k}", "DIST01", "", "", "", "", "",
                        today.isoformat(), (today + timedelta(days=30)).isoformat(),
                        f"PO-IMP-{ref}-{k}", product, "", "", self.rng.randint(10, 90), "",
                        f"{self.rng.randint(10, 90)}.50", "", "",
                    ]
                )  # fmt: skip
        content = io.BytesIO()
        book.save(content)
        started = time.perf_counter()
        upload = self._call(
            "POST",
            "/orders/import",
            "merch",
            "excel import: upload (202)",
            expect=(202,),
            files={
                "file": (
                    "soak.xlsx",
                    content.getvalue(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            },
        )
        if upload is None:
            return
        for _ in range(120):  # the worker checks and imports it
            time.sleep(1.0)
            state = self._call(
                "GET", f"/orders/import/{upload['key']}", "merch", "excel import: poll"
            )
            if state is None:
                return
            if state.get("status") in {"done", "invalid", "failed"}:
                if state["status"] == "done" and len(state.get("imported") or []) == 2:
                    _flow("flow: excel import, upload to done (2 orders)", started)
                else:
                    lives[f"excel import {state['status']}"] += 1
                return
        lives["excel import not done after 120 s"] += 1

    def _loading_plan(self, number: str) -> None:
        """Plan a 40HQ for the order's lines (the worker searches 5 s), polled until done."""
        started = time.perf_counter()
        plan = self._call(
            "POST",
            "/loading/plans",
            "merch",
            "loading plan: request",
            expect=(202,),
            json={"orders": [number], "container_type": "40HQ", "time_limit_s": 5},
        )
        if plan is None:
            return
        for _ in range(120):
            time.sleep(1.0)
            state = self._call(
                "GET", f"/loading/plans/{plan['number']}", "merch", "loading plan: poll"
            )
            if state is None:
                return
            if state.get("status") in {"done", "failed"}:
                if state["status"] == "done":
                    _flow("flow: loading plan, request to done", started)
                else:
                    lives["loading plan failed"] += 1
                return
        lives["loading plan still queued after 120 s"] += 1
