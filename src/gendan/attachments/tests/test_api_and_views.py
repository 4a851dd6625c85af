"""Files over HTTP: the API and the cockpit's panel, with visibility, refusals and query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.accounts.models import User
from gendan.attachments import services
from gendan.attachments.models import Attachment
from gendan.attachments.tests import samples

pytestmark = pytest.mark.django_db


def token(username: str) -> dict[str, str]:
    from gendan.accounts.services import issue_token

    user = User.objects.get(username=username)
    return {"Authorization": f"Bearer {issue_token(actor=user, user=user)[1]}"}


def attach(world, order, upload=None, who="merch"):
    return services.attach_file(
        actor=world.users[who],
        model="orders.order",
        key=order.number,
        file=upload or samples.photo(),
    )


def test_api_attach_list_download_remove(client, world):
    order = world.order()
    headers = token("qc")
    url = f"/api/v1/orders/{order.number}/attachments"
    answer = client.post(url, {"file": samples.photo()}, headers=headers)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["name"], body["mime_type"], body["attached_by"]) == (
        "first-article.jpg",
        "image/jpeg",
        "qc",
    )
    assert body["thumbnail_url"] == f"/attachments/{body['id']}/thumb/"
    listed = client.get(url, headers=headers).json()
    assert [a["id"] for a in listed] == [body["id"]]
    download = client.get(body["download_url"], headers=headers)
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"] == 'attachment; filename="first-article.jpg"'
    assert b"".join(download.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.delete(f"{url}/{body['id']}", headers=headers).status_code == 204
    assert client.get(url, headers=headers).json() == []
    assert client.get(body["download_url"], headers=headers).status_code == 404


def test_api_refuses_bad_files_with_a_code_and_wrong_roles_with_403(client, world):
    order = world.order()
    url = f"/api/v1/orders/{order.number}/attachments"
    bad = client.post(url, {"file": samples.program()}, headers=token("merch"))
    assert (bad.status_code, bad.json()["code"]) == (422, "file_type_not_allowed")
    forbidden = client.post(url, {"file": samples.fax()}, headers=token("production"))
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "permission_denied")
    assert client.get("/api/v1/orders/NOPE/attachments", headers=token("merch")).status_code == 404
    assert not Attachment.objects.exists()


def test_a_file_of_an_order_one_may_not_see_is_404_everywhere(client, world):
    order = world.order(customer="DIST01")
    a = attach(world, order)
    stranger = User.objects.create_user(username="sales2", password="x")
    from django.contrib.auth.models import Group

    stranger.groups.add(Group.objects.get(name="salesperson"))
    client.force_login(stranger)
    for url in (
        f"/attachments/{a.pk}/",
        f"/attachments/{a.pk}/thumb/",
        f"/attachments/{a.pk}/page/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/attachments/{a.pk}/remove/").status_code == 404
    api = client.get(f"/api/v1/orders/{order.number}/attachments/{a.pk}", headers=token("sales2"))
    assert api.status_code == 404
    # under another (visible) order's number the file is not found either
    other = world.order()
    api = client.get(f"/api/v1/orders/{other.number}/attachments/{a.pk}", headers=token("merch"))
    assert api.status_code == 404
    assert Attachment.objects.get(pk=a.pk).removed_at is None


def test_the_cockpit_panel_lists_uploads_and_removes_with_htmx(client, world):
    order = world.order()
    client.force_login(world.users["merch"])
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert 'data-testid="attachments-panel"' in page and 'data-testid="no-attachments"' in page
    assert 'capture="environment"' in page
    answer = client.post(
        f"/orders/{order.number}/attachments/",
        {"photo": samples.photo()},
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.lstrip().startswith('<section class="card attachments" id="files"')
    assert "first-article.jpg" in html and 'data-testid="attachment-thumbnail"' in html
    a = Attachment.objects.get()
    thumb = client.get(f"/attachments/{a.pk}/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert thumb["Content-Security-Policy"].startswith("sandbox")
    refused = client.post(
        f"/orders/{order.number}/attachments/",
        {"file": samples.fax("x.jpg")},
        headers={"HX-Request": "true"},
    )
    assert (
        refused.status_code == 200 and 'data-testid="attachment-error"' in refused.content.decode()
    )
    assert "first-article.jpg" in refused.content.decode()  # the list is still there
    removed = client.post(f"/attachments/{a.pk}/remove/", headers={"HX-Request": "true"})
    assert 'data-testid="no-attachments"' in removed.content.decode()


def test_without_htmx_the_upload_returns_to_the_cockpit(client, world):
    order = world.order()
    client.force_login(world.users["sales"])
    answer = client.post(f"/orders/{order.number}/attachments/", {"file": samples.fax()})
    assert answer.status_code == 302 and answer["Location"] == f"/orders/{order.number}/#files"


def test_roles_without_the_permission_see_files_but_no_upload(client, world):
    order = world.order()
    attach(world, order, samples.fax())
    client.force_login(world.users["production"])
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert "customer-fax.pdf" in page and 'data-testid="attach-form"' not in page
    assert client.get(f"/attachments/{Attachment.objects.get().pk}/").status_code == 200


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_panel_costs_the_same_queries_for_one_file_and_for_ten(client, world):
    one, ten = world.order(), world.order()
    attach(world, one, samples.fax())
    for i in range(10):
        attach(world, ten, samples.fax(f"fax-{i}.pdf"), who=["merch", "qc", "sales"][i % 3])
    client.force_login(world.users["merch"])
    _queries(client, f"/orders/{one.number}/")  # the content type is cached once per process
    assert _queries(client, f"/orders/{one.number}/") == _queries(client, f"/orders/{ten.number}/")
    api = token("merch")
    client.get(f"/api/v1/orders/{one.number}/attachments", headers=api)  # the token's first use
    counts = []
    for order in (one, ten):
        with CaptureQueriesContext(connection) as ctx:
            assert (
                client.get(f"/api/v1/orders/{order.number}/attachments", headers=api).status_code
                == 200
            )
        counts.append(len(ctx))
    assert counts == [7, 7]  # token, order, files (with who attached), and the token's bookkeeping
