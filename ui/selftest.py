"""``kiosk --self-test``: is everything the kiosk needs here, and does it draw?

Opens a store in a temporary data dir, loads both translations, the theme, every icon and the
CJK font, renders the welcome screen offscreen, and names whatever is missing. Run by CI on
the packaged executable and by IT after copying a kiosk folder.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from kiosk.service import KioskService
from kiosk.store.database import open_store
from ui.resources import icon_path, resource_dir

ICONS = ("scan", "catalogue", "history", "orders", "earn")


def run_self_test() -> int:
    """0 when every check passes, 1 otherwise; prints one line per check."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    problems: list[str] = []

    def check(ok: bool, what: str) -> None:
        print(f"{'ok     ' if ok else 'MISSING'} {what}", flush=True)
        if not ok:
            problems.append(what)

    with tempfile.TemporaryDirectory() as data_dir:
        try:
            store = open_store(Path(data_dir))
        except Exception as exc:  # any failure here is what the test reports
            check(False, f"local store ({exc})")
            return 1
        check(True, "local store (SQLite, migrations)")
        from PySide6.QtGui import QFontDatabase
        from PySide6.QtSvg import QSvgRenderer

        from ui.app import CJK_FONT, build_application
        from ui.i18n import Languages
        from ui.main_window import MainWindow

        app = build_application(["kiosk-self-test"])
        theme = resource_dir() / "theme.qss"
        check(theme.exists() and bool(app.styleSheet()), f"theme {theme}")
        for name in ICONS:
            check(QSvgRenderer(str(icon_path(name))).isValid(), f"icon {icon_path(name)}")
        check(CJK_FONT in QFontDatabase.families(), f"font {CJK_FONT}")
        from PySide6.QtCore import QCollator, QLocale

        # Pinyin order (阿 a, 北 b) needs ICU's Chinese data; without it code points decide.
        chinese = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        check(chinese.compare("阿", "北") < 0, "ICU data (Chinese collation)")
        from ui.binding_check import TOLERANCE, null_return_drift

        drifts = null_return_drift(calls=200)  # enough to see a leak, too few to abort on one
        leaking = sorted(name for name, drift in drifts.items() if abs(drift) > TOLERANCE)
        check(
            bool(drifts) and not leaking,
            "Qt binding keeps None's reference count"
            + (f" (leaks in {', '.join(leaking)})" if leaking else ""),
        )
        languages = Languages()
        for language in ("en", "zh"):
            check(languages.set(language), f"translation {languages.qm_path(language)}")
        window = MainWindow(KioskService(store), languages, "zh")
        try:
            window.build_all_screens()
        except ImportError as exc:
            check(False, f"screen ({exc})")
        else:
            check(True, f"{window.stack.count()} screens")
        window.resize(1920, 1080)
        window.show()
        app.processEvents()
        picture = window.grab()
        check(
            not picture.isNull() and window.welcome.title.text() == "请扫描工牌",
            "welcome screen renders in Chinese",
        )
        from ui.screens.redeem import qr_pixmap

        check(not qr_pixmap("PKO1.self-test", 300).isNull(), "voucher QR code")
        window.close()
        store.close()
    print("self-test passed" if not problems else f"self-test failed: {len(problems)} missing")
    return 0 if not problems else 1
