"""Reading HTML form values into the ledger's models, with an error per field."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

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


# The validation library's error types, worded for a person filling in a form; the numbers
# come from the error's context (``max_length``, ``ge``, ...). A type not named here gets a
# general sentence rather than the library's English.
_BY_TYPE: dict[str, tuple[str, str | None]] = {
    "missing": ("This field is required.", None),
    "string_too_short": ("At least %s characters.", "min_length"),
    "string_too_long": ("At most %s characters.", "max_length"),
    "too_short": ("At least %s entries.", "min_length"),
    "too_long": ("At most %s entries.", "max_length"),
    "greater_than_equal": ("Enter a number of at least %s.", "ge"),
    "greater_than": ("Enter a number greater than %s.", "gt"),
    "less_than_equal": ("Enter a number of at most %s.", "le"),
    "less_than": ("Enter a number less than %s.", "lt"),
    "int_parsing": ("Enter a whole number.", None),
    "int_type": ("Enter a whole number.", None),
    "int_from_float": ("Enter a whole number.", None),
    "string_type": ("This field is required.", None),
    "string_pattern_mismatch": ("This value holds characters that are not allowed here.", None),
    "literal_error": ("Choose one of: %s.", "expected"),
    "enum": ("Choose one of: %s.", "expected"),
    "bool_parsing": ("Choose yes or no.", None),
    "date_parsing": ("Enter a date (YYYY-MM-DD).", None),
    "date_from_datetime_parsing": ("Enter a date (YYYY-MM-DD).", None),
    "datetime_parsing": ("Enter a date and time (YYYY-MM-DD HH:MM).", None),
    "datetime_from_date_parsing": ("Enter a date and time (YYYY-MM-DD HH:MM).", None),
    "timezone_aware": ("Enter a time with its time zone.", None),
}

# Our own validators' messages (``value_error``), as worded for the console.
_VALUE_ERRORS = {
    "must not contain NUL characters": "This text holds characters that cannot be saved.",
    "must be between 2000 and 2100": "Enter a date between the years 2000 and 2100.",
}


def error_message(error: Mapping[str, Any], _: Callable[..., str]) -> str:
    """One validation error of pydantic in the reader's language."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "value_error":
        text = str(error.get("msg", "")).removeprefix("Value error, ")
        return _(_VALUE_ERRORS.get(text, "This value is not valid."))
    wording = _BY_TYPE.get(kind)
    if wording is None:
        return _("This value is not valid.")
    sentence, key = wording
    if key is None:
        return _(sentence)
    value = context.get(key)
    if value is None:
        return _("This value is not valid.")
    if key == "expected":  # "'month', 'quarter' or 'year'": the options as the reader knows them
        options = [part.strip(" '") for part in re.split(r",| or ", str(value)) if part.strip()]
        value = _(", ").join(_(option) for option in options)
    return _(sentence, value)


def field_errors(
    exc: ValidationError, _: Callable[..., str], rename: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The model's validation errors keyed by form field (``title.zh`` → ``title_zh``), each
    in the reader's language; the first error of a field is the one shown."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"])
        name = (rename or {}).get(location, location.replace(".", "_"))
        errors.setdefault(name, error_message(error, _))
    return errors
