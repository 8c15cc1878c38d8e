"""Report charts drawn on the server with matplotlib, as SVG images the page embeds."""

from __future__ import annotations

import base64
import io
import sys
import threading
import warnings
from collections.abc import Mapping, Sequence

from markupsafe import Markup

_lock = threading.Lock()  # pyplot's state is global: one chart at a time
_COLOURS = ("#1f5fbf", "#e08a1e", "#2e9e5b", "#b42318", "#7a5af8")


def _pyplot():  # noqa: ANN202 (matplotlib.pyplot)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            # Text stays text in the SVG, drawn by the browser in the page's fonts (Chinese
            # included); matplotlib only measures it.
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"],
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def warm_up() -> None:
    """Import matplotlib on a background thread (about 0.3 s), so the first chart is not slow."""
    if "matplotlib.pyplot" not in sys.modules:
        threading.Thread(target=_pyplot, name="charts-warm-up", daemon=True).start()


def stacked_bars(
    labels: Sequence[str], series: Mapping[str, Sequence[float]], title: str, unit: str
) -> Markup:
    """Bars per label, stacked by series (e.g. points per month, by category)."""
    with _lock, warnings.catch_warnings():
        # Without a CJK font on the server, measuring Chinese warns; the browser draws it.
        warnings.simplefilter("ignore", UserWarning)
        plt = _pyplot()
        figure, axes = plt.subplots(figsize=(10, 3.6), dpi=96)
        bottom: list[float] = [0.0] * len(labels)
        for (name, values), colour in zip(series.items(), _COLOURS, strict=False):
            axes.bar(labels, values, bottom=bottom, label=name, color=colour, width=0.6)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_title(title, loc="left")
        axes.set_ylabel(unit)
        axes.yaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}")
        if series:
            axes.legend(
                frameon=False, ncols=len(series), loc="upper left", bbox_to_anchor=(0, -0.12)
            )
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg")
        plt.close(figure)
    return _image(out.getvalue(), title)


def horizontal_bars(names: Sequence[str], values: Sequence[int], title: str) -> Markup:
    """One bar per name, largest on top (e.g. the ranking's top ten)."""
    with _lock, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plt = _pyplot()
        figure, axes = plt.subplots(figsize=(10, 0.35 * max(len(names), 3) + 0.8), dpi=96)
        axes.barh(list(names)[::-1], list(values)[::-1], color=_COLOURS[0])
        axes.set_title(title, loc="left")
        axes.xaxis.set_major_formatter(lambda value, _pos: f"{value:,.0f}")
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg")
        plt.close(figure)
    return _image(out.getvalue(), title)


def share_bars(names: Sequence[str], percents: Sequence[float], title: str) -> Markup:
    """One bar per name on a 0-100 % scale, largest on top, each labelled with its percent
    (e.g. the categories' shares of the points redeemed)."""
    with _lock, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        plt = _pyplot()
        figure, axes = plt.subplots(figsize=(10, 0.35 * max(len(names), 3) + 0.8), dpi=96)
        bars = axes.barh(list(names)[::-1], list(percents)[::-1], color=_COLOURS[0])
        axes.bar_label(bars, labels=[f"{p:.1f}%" for p in list(percents)[::-1]], padding=3)
        axes.set_xlim(0, 100)
        axes.set_title(title, loc="left")
        axes.xaxis.set_major_formatter(lambda value, _pos: f"{value:.0f}%")
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg")
        plt.close(figure)
    return _image(out.getvalue(), title)


def _image(svg: str, title: str) -> Markup:
    # An <img>, not inline SVG: matplotlib styles its SVG inline, which the console's
    # Content-Security-Policy forbids in the page but not inside an image.
    data = base64.b64encode(svg.encode()).decode()
    return Markup('<img class="plot" alt="{}" src="data:image/svg+xml;base64,{}">').format(
        title, Markup(data)
    )
