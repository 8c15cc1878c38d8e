"""Every sentence of the console exists in Chinese (English is the key)."""

from __future__ import annotations

import re
from pathlib import Path

from ledger.console.actions import FIELD_LABELS
from ledger.console.i18n import ZH
from ledger.console.pages import notifications as notification_pages
from ledger.console.pages.imports import KIND_LABELS, REASONS, STATUS_LABELS
from ledger.notify import messages
from sync.protocol import OrderStatus

CONSOLE = Path(__file__).resolve().parents[2] / "ledger" / "console"
CALL = re.compile(r"""\b_\(\s*["']([^"']+)["']""")
NAV = re.compile(r"""\("/admin[^"]*", "([^"]+)"\)""")


def sentences() -> set[str]:
    found: set[str] = set()
    notify = CONSOLE.parent / "notify"  # HR's notifications use the console's words
    for path in [*CONSOLE.rglob("*.py"), *CONSOLE.rglob("*.html"), *notify.rglob("*.py")]:
        if path.name == "i18n.py":
            continue
        text = path.read_text(encoding="utf-8")
        found |= set(CALL.findall(text)) | set(NAV.findall(text))
    # Shown through _(value): order states, categories, periods, entry kinds.
    found |= {s.value for s in OrderStatus} | {"physical", "virtual", "service"}
    found |= {"month", "quarter", "year", "none", "earn", "hold", "refund", "expire", "adjust"}
    found |= {text for text, _places in REASONS.values()}  # why an import refused a row
    found |= set(KIND_LABELS.values()) | set(STATUS_LABELS.values())  # import batches
    found |= set(FIELD_LABELS.values())  # the audit log's names of logged fields
    found |= {"token", "device", "cli", "system"}  # who wrote an audit line, when not a user
    for labels in (notification_pages.STATUS_LABELS, notification_pages.KIND_LABELS,
                   notification_pages.TOPIC_LABELS, notification_pages.NEW_ORDER_CHOICES,
                   messages.STATUS_WORDS):  # fmt: skip
        found |= set(labels.values())
    return found


def test_every_sentence_has_chinese() -> None:
    used = sentences()
    assert len(used) > 150
    assert sorted(used - set(ZH)) == []


def test_placeholders_match() -> None:
    for english, chinese in ZH.items():
        assert english.count("%s") == chinese.count("%s"), english
