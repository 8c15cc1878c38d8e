"""Connectors (admins): HR systems whose events the ledger imports by itself — drop folders
and JSON endpoints — with each one's last run, result and last batch; add, disable, run now."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ledger.console.i18n import translator
from ledger.console.web import Admin, acting, back_to, language_of, posted, render, service_of
from ledger.domain import connectors as rules
from ledger.domain.errors import LedgerError

router = APIRouter()
KINDS = {"folder": "Drop folder", "http": "JSON endpoint"}


def _result(text: str) -> dict[str, object]:
    try:
        value = json.loads(text)
    except ValueError:
        return {"error": text} if text else {}
    return value if isinstance(value, dict) else {}


def _page(
    request: Request, user: Admin, *, errors: dict[str, str] | None = None,
    form: Mapping[str, object] | None = None, status_code: int = 200,
) -> HTMLResponse:  # fmt: skip
    rows = service_of(request).list_connectors()
    for row in rows:
        row["result"] = _result(str(row["last_result"]))
    return render(
        request, "connectors.html", user, status_code=status_code, connectors=rows, kinds=KINDS,
        errors=errors or {},
        form=form or {"kind": "folder", "interval": str(rules.DEFAULT_INTERVAL)},
    )  # fmt: skip


@router.get("/connectors")
def connectors_page(request: Request, user: Admin) -> HTMLResponse:
    return _page(request, user)


@router.post("/connectors")
async def add_connector(request: Request) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    form = {key: str(data.get(key, "")).strip() for key in ("kind", "name", "path", "url",
                                                             "token", "interval")}  # fmt: skip
    kind = form["kind"] if form["kind"] in KINDS else "folder"
    errors: dict[str, str] = {}
    try:
        interval = int(form["interval"] or rules.DEFAULT_INTERVAL)
        rules.check_interval(interval)
    except (ValueError, LedgerError):
        errors["interval"] = _("Give a number of seconds from %s to %s.", rules.MIN_INTERVAL,
                               rules.MAX_INTERVAL)  # fmt: skip
        interval = rules.DEFAULT_INTERVAL
    try:
        rules.check_name(form["name"])
    except LedgerError:
        errors["name"] = _("Lower-case letters, digits, - and _ only, up to 64.")
    target = "path" if kind == "folder" else "url"
    if not form[target]:
        errors[target] = _("This field is required.")
    if not errors:
        try:
            acting(request, user).add_connector(
                kind, form["name"], path=form["path"] if kind == "folder" else "",
                url=form["url"] if kind == "http" else "",
                token=form["token"] if kind == "http" else "", interval_seconds=interval,
            )  # fmt: skip
        except LedgerError as error:
            message = str(error.message)
            if message.startswith("name"):
                errors["name"] = _("A connector of that name exists already.")
            elif message.startswith("token"):
                errors["token"] = _("One line, up to 500 characters.")
            elif kind == "folder":
                errors["path"] = _("Give an absolute folder path on the ledger server.")
            else:
                errors["url"] = _("Enter an address that starts with http:// or https://.")
        else:
            return back_to("/admin/connectors", _("Saved."))
    form["token"] = ""  # a secret is never sent back into a page
    return _page(request, user, errors=errors, form=form, status_code=422)


@router.post("/connectors/{name}/active")
async def set_active(request: Request, name: str) -> Response:
    user, data = await posted(request, admin=True)
    _ = translator(language_of(request))
    try:
        acting(request, user).set_connector_active(name, data.get("active") == "1")
    except LedgerError:
        return back_to("/admin/connectors", _("Nothing found."), problem=True)
    return back_to("/admin/connectors", _("Saved."))


@router.post("/connectors/{name}/run")
async def run_now(request: Request, name: str) -> Response:
    user, _data = await posted(request, admin=True)
    _ = translator(language_of(request))
    try:
        acting(request, user).run_connector_soon(name)
    except LedgerError:
        return back_to("/admin/connectors", _("Only an active connector runs."), problem=True)
    # The job looks every few seconds anyway; a runner that has not started yet has no row.
    with contextlib.suppress(LedgerError):
        acting(request, user).run_job_now("connectors")
    return back_to("/admin/connectors", _("The connector runs within a few seconds."))
