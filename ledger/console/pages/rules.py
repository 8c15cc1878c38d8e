"""Rules: what each HR event is worth, for how long, with caps; titles in both languages."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ledger.console.forms import field_errors, whole_number
from ledger.console.i18n import translator
from ledger.console.web import (
    Poster,
    User,
    acting,
    back_to,
    language_of,
    not_found,
    posted,
    render,
    service_of,
    text_values,
)
from ledger.domain.errors import LedgerError
from ledger.domain.rules import RuleSpec

router = APIRouter()
KIND = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


@router.get("/rules")
def rule_list(request: Request, user: User) -> HTMLResponse:
    return render(request, "rules.html", user, rules=service_of(request).list_rules())


def _rule_form(
    request: Request, user: User, kind: str | None, values: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    return render(
        request, "rule.html", user, status_code=422 if errors else 200,
        kind=kind, values=values, errors=errors,
    )  # fmt: skip


@router.get("/rules/new")
def new_rule(request: Request, user: User) -> HTMLResponse:
    values = {"points": "", "validity_days": "365", "active": "on", "period": ""}
    return _rule_form(request, user, None, values, {})


@router.get("/rules/{kind}")
def edit_rule(request: Request, user: User, kind: str) -> HTMLResponse:
    found = next((r for r in service_of(request).list_rules() if r["kind"] == kind), None)
    if found is None:
        return not_found(request, user)
    values = {
        "title_zh": found["title"]["zh"], "title_en": found["title"]["en"],
        "points": str(found["points"]), "validity_days": str(found["validity_days"]),
        "cap_per_period": "" if found["cap_per_period"] is None else str(found["cap_per_period"]),
        "period": found["period"] or "", "active": "on" if found["active"] else "",
    }  # fmt: skip
    return _rule_form(request, user, kind, values, {})


@router.post("/rules")
async def save_rule(request: Request) -> Response:
    user, form = await posted(request)
    return await run_in_threadpool(_save_rule, request, user, text_values(form))


def _save_rule(request: Request, user: Poster, values: dict[str, str]) -> Response:
    _ = translator(language_of(request))
    errors: dict[str, str] = {}
    existing = values.get("existing", "")
    kind = existing or values.get("kind", "").strip()
    # The hidden ``existing`` field comes from the browser like any other: checked the same.
    if not KIND.match(kind) or len(kind) > 64:
        errors["kind"] = _("Letters, digits, - and _ only.")
        existing = ""
    points = whole_number(values, "points", errors, _, low=1, high=1_000_000)
    validity = whole_number(values, "validity_days", errors, _, low=1, high=3650)
    cap = whole_number(values, "cap_per_period", errors, _, required=False, low=1, high=1_000_000)
    period = values.get("period") or None
    for name in ("title_zh", "title_en"):
        if not values.get(name, "").strip():
            errors[name] = _("This field is required.")
    if (cap is None) != (period is None) and "cap_per_period" not in errors:
        errors["cap_per_period"] = _("Give both the limit and its period, or neither.")
    # Validated as one document even when a number was refused above (a stand-in takes its
    # place), so every field's error shows at once; each error's place names its form field
    # (``title.zh`` is the field ``title_zh``).
    paired = "cap_per_period" not in errors
    spec: RuleSpec | None = None
    try:
        spec = RuleSpec.model_validate({
            "points": 1 if points is None else points,
            "validity_days": 1 if validity is None else validity,
            "active": values.get("active") == "on",
            "title": {"zh": values.get("title_zh", "").strip(),
                      "en": values.get("title_en", "").strip()},
            "cap_per_period": cap if paired else None, "period": period if paired else None,
        })  # fmt: skip
    except ValidationError as exc:
        for name, text in field_errors(exc, _).items():
            errors.setdefault(name, text)
    if not errors and spec is not None:
        try:
            acting(request, user).put_rule(kind, spec)
        except LedgerError as exc:
            errors["kind"] = exc.message
    if errors:
        return _rule_form(request, user, existing or None, values, errors)
    return back_to("/admin/rules", _("Saved."))
