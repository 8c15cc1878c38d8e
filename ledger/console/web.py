"""What every console page shares: templates, the signed-in user, CSRF checks, errors."""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from ledger.console.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from ledger.domain import console_users as users
from ledger.domain import form_tokens
from ledger.service import Actor, LedgerService
from ledger.service.base import FormClaim

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "pk_console"
LANGUAGE_COOKIE = "pk_console_lang"
LOGIN_CSRF_COOKIE = "pk_console_login"
# A text field of a form (uploaded files are parts of their own, capped by their pages).
MAX_FORM_PART_BYTES = 1024 * 1024

templates = Jinja2Templates(directory=HERE / "templates")
# Every form drawn gets its own once-only token (macros.html ``csrf``).
templates.env.globals["form_token"] = form_tokens.draw

# Set on every page, not by a middleware (that would slow the kiosks' API): pages load only
# the console's own files, and nothing may frame them (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class NeedsSignIn(Exception):
    """No valid session: the browser is sent to the sign-in page."""


class MustChangePassword(Exception):
    """The user's password was reset by an admin: they choose their own before anything else."""


# Where a user whose password must change may still go.
_WHILE_CHANGING = "/admin/account", "/admin/logout"


class ConsoleDenied(Exception):
    """A signed-in user asked for something their role or form does not allow."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "role" or "csrf"


def service_of(request: Request) -> LedgerService:
    return request.app.state.service


def acting(request: Request, user: users.SignedIn, *, keep: bool = False) -> LedgerService:
    """The service with the signed-in user behind every write it makes.

    In a form's post, the first use case it runs claims the form's once-only token: the same
    form posted again applies nothing (``FormAlreadySent``). With ``keep``, that use case's
    text result is kept for one read under the form's token (:func:`shown_once`).
    """
    service = service_of(request).acting_as(Actor.user(user.name))
    claim: FormClaim | None = getattr(request.state, "form_claim", None)
    if claim is None:
        token = form_tokens.usable(getattr(request.state, "form_token", None))
        if token is None and keep:  # a post without a token: its value still needs a key
            token = form_tokens.draw()
        if token is None:
            return service
        claim = request.state.form_claim = FormClaim(token, user.name, keep=keep)
    return service.for_form(claim)


def form_key(request: Request) -> str:
    """The key a post's value shown once is kept under (after ``acting(..., keep=True)``)."""
    claim: FormClaim = request.state.form_claim
    return claim.token


def shown_once(request: Request, user: users.SignedIn) -> str:
    """The value the post that redirected here kept (``?shown=``), read once: a reload shows
    nothing, and creates nothing."""
    key = form_tokens.usable(request.query_params.get("shown"))
    if key is None:
        return ""
    return service_of(request).take_shown_once(key, user.name) or ""


def language_of(request: Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, DEFAULT_LANGUAGE)
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def current_user(request: Request) -> users.SignedIn:
    """The signed-in user; only the console's own cookie counts (API tokens get nothing)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NeedsSignIn
    service = service_of(request)
    now = service.clock()
    with service.db.read() as session:
        user = users.session_user(session, token, now)
    if user is None:
        raise NeedsSignIn
    if users.needs_keep_alive(user, now):
        service.keep_session_alive(token)  # the idle time-out slides with each request
    if user.must_change_password and not request.url.path.startswith(_WHILE_CHANGING):
        raise MustChangePassword
    return user


User = Annotated[users.SignedIn, Depends(current_user)]


def admin_user(user: User) -> users.SignedIn:
    if not user.is_admin:
        raise ConsoleDenied("role")
    return user


Admin = Annotated[users.SignedIn, Depends(admin_user)]


def checked_user(
    request: Request,
    user: User,
    csrf: Annotated[str, Form()] = "",
    form_token: Annotated[str, Form()] = "",
) -> users.SignedIn:
    """The signed-in user of a form post that carries their session's CSRF token; the form's
    once-only token is kept for :func:`acting`."""
    if not secrets.compare_digest(csrf.encode(), user.csrf_token.encode()):
        raise ConsoleDenied("csrf")
    request.state.form_token = form_token
    return user


Poster = Annotated[users.SignedIn, Depends(checked_user)]


def checked_admin(user: Poster) -> users.SignedIn:
    if not user.is_admin:
        raise ConsoleDenied("role")
    return user


AdminPoster = Annotated[users.SignedIn, Depends(checked_admin)]


def local_time(service: LedgerService) -> Any:
    """A Jinja filter: a UTC datetime shown on the site's clock."""
    zone = ZoneInfo(service.site_timezone())

    def show(moment: datetime | str | None, with_time: bool = True) -> str:
        if moment is None or moment == "":
            return ""
        if isinstance(moment, str):  # an ISO string from a wire model
            moment = datetime.fromisoformat(moment)
        try:
            shown = moment.astimezone(zone)
        except OverflowError:  # a far-off time stored before kiosk times were bounded
            shown = moment
        return shown.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")

    return show


def render(
    request: Request,
    template: str,
    user: users.SignedIn | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page in the reader's language, with what the layout needs."""
    language = language_of(request)
    service = service_of(request)
    context.update(
        request=request,
        user=user,
        language=language,
        _=translator(language),
        when=local_time(service),
        flash=request.query_params.get("done", ""),
        problem=request.query_params.get("problem", ""),
    )
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response


def back_to(path: str, message: str = "", *, problem: bool = False) -> RedirectResponse:
    """After a post: see the page again (a reload does not post twice), with a message that
    says what was done (or, with ``problem``, what went wrong)."""
    if message:
        key = "problem" if problem else "done"
        path += ("&" if "?" in path else "?") + key + "=" + quote(message)
    return RedirectResponse(path, status_code=303)


def sign_in_redirect(request: Request) -> Response:
    """To the sign-in page, and from there back where the user was.

    A form posted after the session ended goes back to the page the form was on (its
    address is not a page: opening it would only be refused), and the sign-in page says
    the session ended.
    """
    if request.method in ("GET", "HEAD"):
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
    else:
        target = _form_page(request)
    ended = "&ended=1" if request.cookies.get(SESSION_COOKIE) else ""
    return RedirectResponse("/admin/login?next=" + quote(target) + ended, status_code=303)


def _form_page(request: Request) -> str:
    """The console page a form was posted from (its Referer, when it is this console's)."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc)
    if same_site and referer.path.startswith("/admin") and not referer.path.startswith("//"):
        return referer.path + ("?" + referer.query if referer.query else "")
    return "/admin"


def error_page(request: Request, status: int) -> Response:
    """What a browser gets instead of an API error under ``/admin``: a page in its language."""
    _ = translator(language_of(request))
    messages = {
        401: _("You do not have permission to do this."),
        403: _("You do not have permission to do this."),
        404: _("Not found."),
        405: _("This address cannot be opened this way. Please start again from the menu."),
        413: _("What was sent is too large."),
        422: _("Something in the form was not valid. Please check it and try again."),
    }
    message = messages.get(
        status, _("Something went wrong. Please try again; if it happens again, tell IT.")
    )
    user = None
    token = request.cookies.get(SESSION_COOKIE)
    if token and status < 500:  # after a server error, the database may be what failed
        service = service_of(request)
        with service.db.read() as session:
            user = users.session_user(session, token, service.clock())
    return render(request, "message.html", user, status_code=status, message=message)


def already_sent(request: Request) -> Response:
    """A form posted again (a reload, a double click, the back button): nothing was applied
    a second time; back to the form's page, saying so."""
    _ = translator(language_of(request))
    return back_to(
        _form_page(request), _("This form was already sent; it was not applied again."),
        problem=True,
    )  # fmt: skip


def password_change_redirect(request: Request) -> Response:
    """Send a user whose password was reset to the page where they choose a new one."""
    _ = translator(language_of(request))
    return back_to("/admin/account", _("Choose a new password before you go on."), problem=True)


def client_address(request: Request) -> str:
    """The browser's address as the server sees it (behind a reverse proxy, the proxy's,
    unless uvicorn is told to trust the proxy's forwarded headers)."""
    return request.client.host if request.client else ""


def denied_page(request: Request, exc: ConsoleDenied) -> HTMLResponse:
    _ = translator(language_of(request))
    message = (
        _("You do not have permission to do this.")
        if exc.reason == "role"
        else _("Your session has expired or the form is stale. Please try again.")
    )
    user = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service = service_of(request)
        with service.db.read() as session:
            user = users.session_user(session, token, service.clock())
    return render(request, "message.html", user, status_code=403, message=message)


def secure_cookies(request: Request) -> bool:
    """Cookies are Secure whenever the browser came over HTTPS (directly or via the proxy)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded == "https"


# Dates a console filter may name: outside them the site clock's calendar arithmetic
# overflows (year 1, year 9999) and no ledger data exists anyway.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
MAX_PAGE_NUMBER = 100_000


def query_int(request: Request, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within ``low..high``; ``default`` when absent or not a
    plain decimal number (``1e20``, ``²`` and 30-digit numbers included)."""
    text = request.query_params.get(name, "")
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return default
    return min(max(int(text), low), high)


def query_text(request: Request, name: str, max_length: int = 200) -> str:
    """A text query parameter, cut to ``max_length`` and without NUL characters (which no
    search matches and PostgreSQL refuses)."""
    return request.query_params.get(name, "")[:max_length].replace("\x00", "")


def query_day(text: str | None) -> date | None:
    """An ISO date of a filter within the years 2000-2099; ``None`` when it is anything else."""
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None


def page_number(request: Request) -> int:
    """The ``page`` query parameter, 1 when absent or not a positive number."""
    return query_int(request, "page", 1, 1, MAX_PAGE_NUMBER)


async def posted(request: Request, *, admin: bool = False) -> tuple[users.SignedIn, FormData]:
    """The signed-in poster of a form with its CSRF token checked, and the form.

    For forms with many fields (read as a whole, to show them again with errors) and for
    file uploads.
    """
    # The session first: an anonymous post is sent to sign in before its body is read.
    user = await run_in_threadpool(current_user, request)
    form = await request.form(max_files=2, max_fields=100, max_part_size=MAX_FORM_PART_BYTES)
    token, once = form.get("csrf"), form.get("form_token")
    checked_user(
        request,
        user,
        token if isinstance(token, str) else "",
        once if isinstance(once, str) else "",
    )
    if admin and not user.is_admin:
        raise ConsoleDenied("role")
    return user, form


def text_values(form: FormData) -> dict[str, str]:
    """The form's text fields (files left out)."""
    return {key: value for key, value in form.items() if isinstance(value, str)}


def not_found(request: Request, user: users.SignedIn | None) -> HTMLResponse:
    """The console's 404 page."""
    _ = translator(language_of(request))
    return render(request, "message.html", user, status_code=404, message=_("Not found."))


# A spreadsheet takes a cell starting with these for a formula (or, tab and CR, hides what
# follows); names, titles and reasons are typed by people, so such a cell gets a quote first.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """``value`` as a spreadsheet shows it literally: text starting like a formula is
    prefixed with a single quote; numbers and other values are left alone."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV document of ``rows`` under ``header``, every text cell made formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(text: str, filename: str) -> Response:
    """A CSV download that Excel opens as UTF-8 (the BOM) with Chinese intact."""
    return Response(
        "\ufeff" + text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
