"""The admin pages through the test client: only admins see them, a large export gets through, a file too large for the page is refused."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from dispatch.admin import uploads
from dispatch.staff.accounts import add_staff
from tests.integration.courier_day import PASSWORD
from tests.integration.test_web_security import CSRF
from tests.integration.test_web_security import _signed_in
from tests.integration.test_web_security import app  # noqa: F401 (the app on the test context, as a fixture)

pytestmark = pytest.mark.integration


def _readers(count: int) -> bytes:
    lines = ["card_number,full_name,home_branch,lat,lon,disability_group,access_notes"]
    notes = "подъезд со двора, " * 10
    lines += [f"09{n:05d},Читатель {n},B01,43.24,76.94,1,{notes}" for n in range(count)]
    return ("\n".join(lines) + "\n").encode()


def _upload(client, data: bytes):
    token = CSRF.search(client.get("/admin/imports").get_data(as_text=True)).group(2)
    form = {"csrf_token": token, "kind": "readers", "file": FileStorage(io.BytesIO(data), "readers.csv", content_type="text/csv")}
    boundary, body = encode_multipart(form)  # in memory: the test client would spool a large body to a file it never closes
    return client.post("/admin/imports", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_only_admins_open_the_admin_pages(app, ctx, world) -> None:  # noqa: F811
    add_staff(ctx, "disp", "Диспетчер Дана", "dispatcher", PASSWORD, "B01")
    client = _signed_in(app, "disp")
    for path in ("/admin/", "/admin/imports", "/admin/staff", "/admin/couriers", "/admin/branches"):
        assert client.get(path).status_code == 403, path
    assert app.test_client().get("/admin/staff").status_code == 302


def test_an_export_larger_than_the_apps_request_limit_is_imported(app, ctx, world) -> None:  # noqa: F811
    add_staff(ctx, "boss", "Главный Админ", "admin", PASSWORD)
    client = _signed_in(app, "boss")
    data = _readers(5000)
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    response = _upload(client, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    [run] = uploads.recent_runs(ctx)
    assert (run.report.created, run.report.rejected) == (5000, [])


def test_a_file_over_the_upload_limit_is_refused_on_the_form(app, ctx, world, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100 * 1024)
    add_staff(ctx, "boss", "Главный Админ", "admin", PASSWORD)
    client = _signed_in(app, "boss")

    over_the_limit = _upload(client, _readers(300))
    assert over_the_limit.status_code == 422
    assert "больше 0.1 МБ" in over_the_limit.get_data(as_text=True)

    far_over = _upload(client, _readers(3000))
    assert far_over.status_code == 413
    assert "Файл больше 0.1 МБ" in far_over.get_data(as_text=True)
    assert uploads.recent_runs(ctx) == []
