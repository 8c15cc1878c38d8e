"""The catalogue: items with titles, descriptions, points, stock, limits and a picture."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

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
from ledger.domain.catalogue import MAX_IMAGE_BYTES, ItemSpec, clean_image
from ledger.domain.errors import LedgerError

router = APIRouter()
ITEM_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
CATEGORIES = ("physical", "virtual", "service")
FULFILMENTS = ("manual", "code_pool", "external")


@router.get("/catalogue")
def item_list(request: Request, user: User) -> HTMLResponse:
    return render(request, "catalogue.html", user, items=service_of(request).list_items())


def _item_form(
    request: Request,
    user: User,
    item_id: str | None,
    values: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    fulfilment = service_of(request).fulfilment_of(item_id) if item_id else None
    return render(
        request, "item.html", user, status_code=422 if errors else 200,
        item_id=item_id, values=values, errors=errors, categories=CATEGORIES,
        fulfilments=FULFILMENTS, fulfilment=fulfilment,
    )  # fmt: skip


@router.get("/catalogue/new")
def new_item(request: Request, user: User) -> HTMLResponse:
    values = {"active": "on", "category": "physical", "fulfilment": "manual", "pool_threshold": "5"}
    return _item_form(request, user, None, values, {})


@router.get("/catalogue/{item_id}")
def edit_item(request: Request, user: User, item_id: str) -> HTMLResponse:
    found = next((i for i in service_of(request).list_items() if i["id"] == item_id), None)
    if found is None:
        return not_found(request, user)

    def text(value: object) -> str:
        return "" if value is None else str(value)

    values = {
        "title_zh": found["title"]["zh"], "title_en": found["title"]["en"],
        "description_zh": found["description"]["zh"], "description_en": found["description"]["en"],
        "category": found["category"], "points": text(found["points"]),
        "stock": text(found["stock"]), "limit_per_employee": text(found["limit_per_employee"]),
        "limit_period": found["limit_period"] or "", "active": "on" if found["active"] else "",
        "image_sha256": text(found["image_sha256"]),
    }  # fmt: skip
    way = service_of(request).fulfilment_of(item_id)
    values |= {"fulfilment": way["fulfilment"], "pool_threshold": text(way["pool_threshold"])}
    return _item_form(request, user, item_id, values, {})


@router.post("/catalogue")
async def save_item(request: Request) -> Response:
    user, form = await posted(request)
    picture = form.get("picture")
    data = None
    if isinstance(picture, UploadFile) and picture.filename:
        data = await picture.read(MAX_IMAGE_BYTES + 1)
    return await run_in_threadpool(_save_item, request, user, text_values(form), data)


def _save_item(
    request: Request, user: Poster, values: dict[str, str], picture: bytes | None
) -> Response:
    _ = translator(language_of(request))
    errors: dict[str, str] = {}
    existing = values.get("existing", "")
    item_id = existing or values.get("item_id", "").strip()
    # The hidden ``existing`` field comes from the browser like any other: checked the same.
    if not ITEM_ID.match(item_id):
        errors["item_id"] = _("Letters, digits, - and _ only.")
        existing = ""
    elif not existing and any(i["id"] == item_id for i in service_of(request).list_items()):
        errors["item_id"] = _("An item with this id exists.")
    points = whole_number(values, "points", errors, _, low=1, high=10_000_000)
    stock = whole_number(values, "stock", errors, _, required=False, low=0, high=10_000_000)
    limit = whole_number(
        values, "limit_per_employee", errors, _, required=False, low=1, high=10_000
    )
    threshold = whole_number(values, "pool_threshold", errors, _, required=False, low=0,
                             high=10_000_000)  # fmt: skip
    if values.get("fulfilment", "manual") not in FULFILMENTS:
        errors["fulfilment"] = _("This field is required.")
    period = values.get("limit_period") or None
    if (limit is None) != (period is None) and "limit_per_employee" not in errors:
        errors["limit_per_employee"] = _("Give both the limit and its period, or neither.")
    for name in ("title_zh", "title_en"):
        if not values.get(name, "").strip():
            errors[name] = _("This field is required.")
    if values.get("category") not in CATEGORIES:
        errors["category"] = _("This field is required.")
    if picture is not None:
        if len(picture) > MAX_IMAGE_BYTES:
            errors["picture"] = _("The picture is larger than 2 MB.")
        else:
            try:
                clean_image(picture)
            except LedgerError:
                errors["picture"] = _("The picture must be a PNG or JPEG file.")
    # Validated as one document even when a number was refused above (a stand-in takes its
    # place), so every field's error shows at once; each error's place names its form field
    # (``title.zh`` is the field ``title_zh``).
    paired = "limit_per_employee" not in errors
    spec: ItemSpec | None = None
    try:
        spec = ItemSpec.model_validate({
            "title": {"zh": values.get("title_zh", "").strip(),
                      "en": values.get("title_en", "").strip()},
            "description": {
                "zh": values.get("description_zh", "").strip(),
                "en": values.get("description_en", "").strip(),
            },
            "category": values.get("category") if values.get("category") in CATEGORIES
            else CATEGORIES[0],
            "points": 1 if points is None else points, "stock": stock,
            "limit_per_employee": limit if paired else None,
            "limit_period": period if paired else None,
            "active": values.get("active") == "on",
            "fulfilment": values.get("fulfilment", "manual")
            if "fulfilment" not in errors else "manual",
            "pool_threshold": 5 if threshold is None else threshold,
        })  # fmt: skip
    except ValidationError as exc:
        for name, text in field_errors(exc, _).items():
            errors.setdefault(name, text)
    if not errors and spec is not None:
        try:
            acting(request, user).put_item(item_id, spec, picture)
        except LedgerError as exc:
            errors["item_id"] = exc.message
    if errors:
        return _item_form(request, user, existing or None, values, errors)
    return back_to("/admin/catalogue", _("Saved."))


@router.get("/catalogue/{item_id}/image")
def item_image(request: Request, user: User, item_id: str) -> Response:
    try:
        content_type, data = service_of(request).image(item_id)
    except LedgerError:
        return Response(status_code=404)
    return Response(data, media_type=content_type, headers={"Cache-Control": "private, max-age=60"})
