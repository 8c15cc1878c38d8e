"""The signed-in user's own account: changing their password."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ledger.console.i18n import translator
from ledger.console.web import (
    SESSION_COOKIE,
    Poster,
    User,
    acting,
    back_to,
    language_of,
    posted,
    render,
    service_of,
)
from ledger.domain import console_users as users
from ledger.domain import passwords

router = APIRouter()


def password_message(refused: users.PasswordRefused, _: Callable[..., str]) -> str:
    """Why a new password was refused, in the reader's language."""
    if refused.reason == "short":
        return _("The password needs at least %s characters.", passwords.MIN_LENGTH)
    if refused.reason == "long":
        return _("The password may have at most %s characters.", passwords.MAX_LENGTH)
    if refused.reason == "same":
        return _("The new password must differ from the current one.")
    return _("This password is too common or too easy to guess. Choose a longer phrase.")


def _account_page(
    request: Request, user: users.SignedIn, errors: dict[str, str],
    prefs: dict[str, object] | None = None,
) -> HTMLResponse:  # fmt: skip
    from ledger.console.pages.notifications import LABELS

    return render(
        request, "account.html", user, status_code=422 if errors else 200,
        errors=errors, min_length=passwords.MIN_LENGTH,
        prefs=prefs or service_of(request).notify_preferences(user.user_id),
        action="/admin/account/notifications", **LABELS,
    )  # fmt: skip


@router.get("/account")
def account(request: Request, user: User) -> HTMLResponse:
    return _account_page(request, user, {})


@router.post("/account/password")
def change_password(
    request: Request,
    user: Poster,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Response:
    _ = translator(language_of(request))
    if new != again:
        return _account_page(request, user, {"again": _("The two new passwords differ.")})
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        acting(request, user).change_own_password(user.user_id, current, new, token)
    except users.PasswordRefused as refused:
        return _account_page(request, user, {"new": password_message(refused, _)})
    except users.UserError:
        return _account_page(request, user, {"current": _("The current password is wrong.")})
    return back_to("/admin/account", _("Your password has been changed."))


@router.post("/account/notifications")
async def notification_choices(request: Request) -> Response:
    """The signed-in user's address, language and what they are told of."""
    from ledger.console.pages.notifications import preferences_from, save_preferences

    user, data = await posted(request)
    _ = translator(language_of(request))
    form = preferences_from(data)
    errors = save_preferences(request, user, user.user_id, form)
    if errors:
        return _account_page(request, user, errors, form)
    return back_to("/admin/account", _("Saved."))
