"""schemathesis over /api/v1/openapi.json, over real HTTP: no 5xx, and every answer is as documented.

A merchandiser's token (they may do the most) drives a bounded number of generated requests per
operation against a live server holding the test company and a few orders.
"""

from __future__ import annotations

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from gendan.accounts.services import issue_token
from gendan.orders.workflow import Status

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: per operation, valid and invalid requests together (about 170 operations: 10 keeps the run
#: near a minute and a half per database; derandomized, so each run sends the same requests)
EXAMPLES = 10


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_api_keeps_to_its_openapi_document(live_server, world):
    world.order()
    world.order(customer="STORE01", to=Status.DELIVERED)
    _token, raw = issue_token(user=world.users["merch"], actor=world.users["merch"])
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_url(live_server.url + "/api/v1/openapi.json")

    failures: dict[str, str] = {}
    statuses: dict[str, int] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        # valid requests, then invalid ones: both must get a documented, non-5xx answer
        strategy = operation.as_strategy() | operation.as_strategy(GenerationMode.NEGATIVE)

        @hypothesis.given(case=strategy)
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            if case.headers:  # a Host the server does not serve is Django's 400, not the API's
                case.headers = {k: v for k, v in case.headers.items() if k.lower() != "host"}
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[f"{case.method} {response.status_code}"] = (
                statuses.get(f"{case.method} {response.status_code}", 0) + 1
            )

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failure
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    # one endpoint per action of the order's life (21), the answer to an unknown action, files (4),
    # the export log (1), the people an order may name (1), an Excel upload's status,
    # confirm and annotated errors (3), production's lines, calendars, routings, work orders,
    # daily reports and day plans (17), outsourcing's list, send and receive (3), quality's
    # inspections (list, record, read, concession) and plans (list, put) (6), the first
    # article's list, read, sample, approve and reject (5), the daily reports'
    # import (1), the weekly schedule's generate, week, status and move (4), finance's aging,
    # ledger, statement, credit notes (list, issue, confirm) and chase (7), the reports' index,
    # daily sales, daily reports (list, a day), report sheets and regions (6), after-sales'
    # samples (list, request, rate, read, photo, eight steps), campaigns (2), complaints (list,
    # log, summary, read, photo, confirm, reject, replacement, exchange, credit note,
    # counting error, close), resolutions (2), teams (1) (30), purchasing's
    # suppliers, materials, bills of materials, carton specs, plates, the plan, purchase orders,
    # lines, in-transit, late lines, readiness and supplier figures (28), the sales contracts
    # (list, read, issue, countersigned, terms: 5), the patrol's exceptions (list, raise, read,
    # photo, action, close, slip, count per kind and line: 8), prospects and stock offers
    # (offers list, send, link, stale stock, hit rate, prospects list, add, read, log, status,
    # win: 11), logistics' vehicles, drivers, delivery requests, trips (list, plan, add,
    # prepare, depart), the driver's stops (list, photo, deliver, problem), cash (list, record)
    # and scores (read, mark) (19)
    assert operations == 215
    assert failures == {}, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
    # the generated requests reached real successes, not only refusals
    assert {"GET 200", "POST 201", "PATCH 200", "GET 404", "POST 422"} <= set(statuses)
