"""The administrator's pages: the start page with the latest changes, and imports by upload with their line-numbered reports.

Each view calls one service of ``dispatch``/``couriers``; every change those services make is audited
with the signed-in admin as its author. A refused submission comes back on its form, in the staff's
language, and changes nothing. Staff accounts are in ``admin_accounts``, couriers and branches in
``admin_roster``; the blueprint and what they share in ``admin_common``.
"""

from __future__ import annotations

import typing as t

from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_babel import gettext as _
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import NotFound as PageNotFound

from dispatch.admin import audit
from dispatch.admin import uploads
from dispatch.admin.refusals import AdminRefused
from dispatch.errors import NotFound
from dispatch.imports.importers import SPECS
from web import admin_accounts
from web import admin_roster
from web import admin_words as words
from web.admin_common import ROLE
from web.admin_common import actor
from web.admin_common import bp
from web.admin_forms import UploadForm
from web.error_pages import render_error_page
from web.extension import context
from web.i18n import page_language as language
from web.security import roles_required

if t.TYPE_CHECKING:
    from werkzeug.wrappers import Response


VIEWS = (admin_accounts, admin_roster)
"""The modules whose views this blueprint serves besides its own (imported here, so registering ``bp`` registers them)."""

__all__ = ["VIEWS", "bp"]


@bp.get("/")
@roles_required(ROLE)
def home() -> str:
    """The admin's start: where each task is, and the latest changes made by admins."""
    return render_template("admin/home.html", changes=audit.recent(context(), limit=30))


# --- imports --------------------------------------------------------------------------------------


def _upload_form() -> UploadForm:
    form = UploadForm()
    form.kind.choices = [("", _("— choose —")), *((kind, str(name)) for kind, name in words.FILE_KINDS.items())]
    return form


def _imports_page(form: UploadForm, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "admin/imports.html",
        form=form,
        specs=SPECS,
        runs=uploads.recent_runs(context()),
        limit_mb=uploads.limit_mb(),
    )
    return page, status


@bp.route("/imports", methods=["GET", "POST"])
@roles_required(ROLE)
def imports() -> Response | tuple[str, int]:
    """Upload an export; its report opens on its own page (so a reload never imports twice)."""
    form = _upload_form()
    if not form.validate_on_submit():
        return _imports_page(form, 422 if request.method == "POST" else 200)
    upload = form.file.data
    try:
        data = upload.read()
    finally:
        upload.close()  # a large upload is spooled to a temporary file: let it go now
    try:
        run = uploads.import_upload(context(), form.kind.data or "", upload.filename or "", data, actor=actor())
    except AdminRefused as refusal:
        form.file.errors = [*form.file.errors, refusal.message(language())]
        return _imports_page(form, 422)
    return redirect(url_for(".import_report", run_id=run.id))


@bp.get("/imports/<int:run_id>")
@roles_required(ROLE)
def import_report(run_id: int) -> str:
    """One upload's report: counts, every rejected row by line with its reasons, rows that need a person."""
    return render_template("admin/import_report.html", run=uploads.get_run(context(), run_id), lang=language())


@bp.errorhandler(413)
def _too_large(error: HTTPException) -> tuple[str, int]:
    """An upload larger than the page accepts, stopped before it was read: said on the upload form.

    The body is left unread: the request is marked as having an empty form, so that rendering the page
    (the language, the CSRF field) does not try to read it again and fail the same way.
    """
    request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
    form = _upload_form()
    form.file.errors = [AdminRefused("upload_body_too_large", limit_mb=uploads.limit_mb()).message(language())]
    return _imports_page(form, 413)


@bp.errorhandler(NotFound)
def _missing(error: NotFound) -> Response:
    """An unknown courier, account or import: the site's own "page not found"."""
    return render_error_page(PageNotFound())
