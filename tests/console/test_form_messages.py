"""Validation messages of the model layer shown next to the field, in Chinese and English."""

from __future__ import annotations

import io
from typing import Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from ledger.console import forms
from ledger.console.i18n import ZH, translator
from ledger.console.web import LANGUAGE_COOKIE
from sync.protocol import Localized
from tests.console.conftest import Browser
from tests.console.test_employees_and_catalogue import field_error

LONG_TITLE = "长" * 201


class _Sample(BaseModel):
    count: int = Field(ge=1, le=10)
    period: Literal["month", "quarter", "year"]
    title: Localized


def _errors(language: str, **values: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        _Sample.model_validate(values)
    return forms.field_errors(caught.value, translator(language))


def test_each_error_type_is_worded_with_its_numbers() -> None:
    zh = _errors("zh", count="x", period="week", title={"zh": LONG_TITLE, "en": "a\x00b"})
    assert zh == {
        "count": "请输入整数。",
        "period": "请选择其中之一：月、季度、年。",
        "title_zh": "最多 200 个字符。",
        "title_en": "此项含有无法保存的字符。",
    }
    en = _errors("en", count=0, period="month", title={"zh": "标题"})
    assert en == {
        "count": "Enter a number of at least 1.",
        "title_en": "This field is required.",
    }
    assert _errors("zh", count=11, period="year", title={"zh": "a", "en": "b"}) == {
        "count": "请输入不大于 10 的数。"
    }


def test_no_message_of_the_library_reaches_the_reader() -> None:
    unknown = {"type": "url_parsing", "msg": "Input should be a valid URL", "ctx": {}}
    assert forms.error_message(unknown, translator("zh")) == "此项的值无效。"
    own = {"type": "value_error", "msg": "Value error, something of ours"}
    assert forms.error_message(own, translator("en")) == "This value is not valid."


def test_every_worded_error_has_chinese() -> None:
    sentences = {sentence for sentence, _ in forms._BY_TYPE.values()}
    sentences |= set(forms._VALUE_ERRORS.values()) | {"This value is not valid."}
    assert sorted(sentences - set(ZH)) == []


RULE = {
    "kind": "training.safety",
    "title_zh": LONG_TITLE,
    "title_en": "Safety",
    "points": "50",
    "validity_days": "365",
    "active": "on",
}


@pytest.mark.parametrize(
    ("language", "expected"), [("zh", "最多 200 个字符。"), ("en", "At most 200 characters.")]
)
def test_a_title_too_long_is_named_next_to_it_on_the_rule_form(
    hr: Browser, floor, language: str, expected: str
) -> None:
    hr.session.cookies.set(LANGUAGE_COOKIE, language)
    hr.get("/admin/rules/new")
    answer = hr.post("/admin/rules", RULE)
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert field_error(answer.text, "title_zh") == expected
    assert LONG_TITLE in answer.text  # what was typed is kept
    assert not any(r["kind"] == "training.safety" for r in floor.list_rules())


@pytest.mark.parametrize(
    ("language", "expected"), [("zh", "最多 200 个字符。"), ("en", "At most 200 characters.")]
)
def test_a_title_too_long_is_named_next_to_it_on_the_item_form(
    hr: Browser, floor, language: str, expected: str
) -> None:
    hr.session.cookies.set(LANGUAGE_COOKIE, language)
    hr.get("/admin/catalogue/new")
    fields = {
        "item_id": "mug",
        "title_zh": "马克杯",
        "title_en": "M" * 201,
        "category": "physical",
        "points": "200",
        "csrf": hr.csrf,
    }
    answer = hr.session.post(
        hr.base + "/admin/catalogue",
        data=fields,
        files={"picture": ("", io.BytesIO(b""), "")},
        timeout=30,
    )
    assert answer.status_code == 422
    assert field_error(answer.text, "title_en") == expected
    assert not any(i["id"] == "mug" for i in floor.list_items())


def test_every_field_error_shows_at_once_on_the_rule_form(hr: Browser, floor) -> None:
    """A number refused first does not hide the title's error (nor the other way round)."""
    hr.get("/admin/rules/new")
    answer = hr.post("/admin/rules", {**RULE, "points": "abc", "validity_days": "0"})
    assert answer.status_code == 422
    assert field_error(answer.text, "points") == "请输入整数。"
    assert field_error(answer.text, "validity_days") == "请输入 1 到 3650 之间的数。"
    assert field_error(answer.text, "title_zh") == "最多 200 个字符。"


def test_every_field_error_shows_at_once_on_the_item_form(hr: Browser, floor) -> None:
    hr.get("/admin/catalogue/new")
    fields = {
        "item_id": "mug",
        "title_zh": "马" * 201,
        "title_en": "Mug",
        "category": "physical",
        "points": "-5",
        "limit_per_employee": "2",
        "csrf": hr.csrf,
    }
    answer = hr.session.post(
        hr.base + "/admin/catalogue",
        data=fields,
        files={"picture": ("", io.BytesIO(b""), "")},
        timeout=30,
    )
    assert answer.status_code == 422
    assert field_error(answer.text, "points") == "请输入 1 到 10000000 之间的数。"
    assert field_error(answer.text, "limit_per_employee") == "限兑数量与周期需同时填写或同时留空。"
    assert field_error(answer.text, "title_zh") == "最多 200 个字符。"
    assert not any(i["id"] == "mug" for i in floor.list_items())
