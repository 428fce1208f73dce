"""Measurements of what the eye sees in the browser: how many lines an element's text takes,
whether its text is clipped. The layout tests assert on these numbers (screenshots are only
kept beside them as artefacts)."""

from __future__ import annotations

from playwright.sync_api import Locator

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}

# The line boxes of an element's text: the distinct tops of its text's client rects (rects
# of one line differ by a few pixels between a <strong> and plain text, never by half a line).
_LINES = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const half = (parseFloat(getComputedStyle(el).lineHeight) || 16) / 2;
  const tops = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0)
    .map(r => r.top).sort((a, b) => a - b);
  let lines = 0, last = -Infinity;
  for (const top of tops) { if (top - last > half) { lines += 1; last = top; } }
  return lines;
}"""

_CLIPPED = """el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1"""


def lines(element: Locator) -> int:
    """How many lines the element's text is laid out on."""
    return int(element.evaluate(_LINES))


def clipped(element: Locator) -> bool:
    """Whether the element's content is cut off (it overflows its own box)."""
    return bool(element.evaluate(_CLIPPED))


def box(element: Locator) -> dict[str, float]:
    found = element.bounding_box()
    assert found is not None, f"{element} is not rendered"
    return found
