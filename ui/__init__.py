"""PySide6 screens of the kiosk; the only package that imports Qt widgets."""
