"""Every user-visible string of the kiosk exists in Chinese and in English."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")


def messages(ts_file: Path) -> dict[tuple[str, str], ET.Element | None]:
    tree = ET.parse(ts_file)
    found = {}
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source") or "")] = message.find("translation")
    return found


def lupdate() -> Path:
    tool = Path(sys.executable).with_name("pyside6-lupdate")
    return tool if tool.exists() else Path(shutil.which("pyside6-lupdate") or "pyside6-lupdate")


def test_every_string_in_the_code_is_translated(tmp_path: Path) -> None:
    extracted = tmp_path / "extracted.ts"
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(lupdate()), *sources, "-ts", str(extracted)], check=True,
                   capture_output=True)  # fmt: skip
    needed = set(messages(extracted))
    assert len(needed) > 80  # the extraction found the kiosk's strings
    for language in LANGUAGES:
        present = messages(TRANSLATIONS / f"points_kiosk_{language}.ts")
        missing = sorted(needed - set(present))
        assert not missing, f"{language}: not in the .ts file (run lupdate): {missing[:5]}"
        for key in needed:
            translation = present[key]
            assert translation is not None and (translation.text or "").strip(), (language, key)
            assert translation.get("type") not in ("unfinished", "vanished", "obsolete"), (
                language,
                key,
            )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_compiled_translations_load(qapp, language: str) -> None:
    from ui.i18n import Languages

    languages = Languages()
    assert languages.set(language), "run `make translations`"
    from PySide6.QtCore import QCoreApplication

    expected = "请扫描工牌" if language == "zh" else "Scan your badge"
    assert QCoreApplication.translate("WelcomeScreen", "Scan your badge") == expected


def test_every_order_status_reads_as_words_in_both_languages(qapp) -> None:
    """Each state an order can have at the kiosk, the ledger's new "reversed" included, is
    worded in the reader's language in "My orders"."""
    from kiosk.order_states import KioskOrderStatus
    from ui.i18n import Languages
    from ui.texts import order_status

    languages = Languages()
    for language in ("zh", "en"):
        assert languages.set(language), "run `make translations`"
        for status in KioskOrderStatus:
            words = order_status(status)
            assert words and words != status.value, (language, status)
            assert (language == "zh") == any("\u4e00" <= ch <= "\u9fff" for ch in words), words
    languages.set("zh")
    assert order_status(KioskOrderStatus.REVERSED) == "已撤销，积分已退还"


def test_every_refusal_the_ledger_stores_reads_as_words_in_both_languages(qapp) -> None:
    """A kiosk shows why the ledger refused an order in "My orders": never a bare code."""
    from ledger.domain.placement import REFUSAL_MESSAGES
    from ui.i18n import Languages
    from ui.texts import rejection_reason

    languages = Languages()
    for language in ("zh", "en"):
        assert languages.set(language), "run `make translations`"
        for code in REFUSAL_MESSAGES:
            words = rejection_reason(code.value)
            assert words and words != code.value, (language, code)
            assert (language == "zh") == any("\u4e00" <= ch <= "\u9fff" for ch in words), words
