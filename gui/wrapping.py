"""Long machine text in narrow panels: where a line may break, and where it must not.

A derivative or an error message can hold a hundred characters without a space; a QLabel then
asks for that whole width and pushes its panel past the scroll area. Zero-width spaces after
operators (and every so often inside a long run) give it places to wrap."""

from __future__ import annotations

import re

ZWSP = "\u200b"
BREAK_AFTER = set("+-*/,=)(^·−")
MAX_RUN = 24  # characters without a break opportunity before one is forced


def breakable(text: str) -> str:
    """``text`` with invisible break opportunities after operators and inside long runs."""
    out, run = [], 0
    for ch in text:
        out.append(ch)
        run = 0 if ch.isspace() else run + 1
        if ch in BREAK_AFTER or run >= MAX_RUN:
            out.append(ZWSP)
            run = 0
    return "".join(out)


def unbroken(html_fragment: str) -> str:
    """An HTML fragment that must stay on one line (a number, a short vector)."""
    return f'<span style="white-space: nowrap">{html_fragment}</span>'


def visible(text: str) -> str:
    """The text as a user reads it (without the break marks), for tooltips and tests."""
    return re.sub(ZWSP, "", text)
