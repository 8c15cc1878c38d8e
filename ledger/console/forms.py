"""Reading HTML form values into the ledger's models, with an error per field."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pydantic import ValidationError


def whole_number(
    values: Mapping[str, str],
    name: str,
    errors: dict[str, str],
    _: Callable[..., str],
    *,
    required: bool = True,
    low: int | None = None,
    high: int | None = None,
) -> int | None:
    """The field as an int (None when empty and optional); a message in ``errors`` if not."""
    text = values.get(name, "").strip()
    if not text:
        if required:
            errors[name] = _("This field is required.")
        return None
    try:
        number = int(text)
    except ValueError:
        errors[name] = _("Enter a whole number.")
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        errors[name] = _("Enter a number from %s to %s.", low, high)
        return None
    return number


def field_errors(
    exc: ValidationError, _: Callable[..., str], rename: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The model's validation errors keyed by form field (``title.zh`` → ``title_zh``)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"])
        name = (rename or {}).get(location, location.replace(".", "_"))
        errors.setdefault(name, str(error["msg"]).removeprefix("Value error, "))
    return errors
