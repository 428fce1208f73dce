"""Chinese fonts in a python-docx document, set so that both Word and WPS show them.

Word picks the font of Chinese characters from `w:eastAsia` of the run's `w:rFonts`, and of
Latin characters from `w:ascii`/`w:hAnsi`; python-docx's `font.name` sets only the latter.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.styles.style import CharacterStyle

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
HEADING_STYLES = ("Title", "Heading 1", "Heading 2", "Heading 3")


def set_style_font(style: CharacterStyle, name: str, size: float | None = None) -> None:
    """Give `style` the font `name` for Latin and East Asian text alike."""
    font = style.font
    font.name = name
    if size:
        font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    # Theme fonts override the named ones in Word; drop them.
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def chinese_styles(document: DocumentObject) -> None:
    """宋体 for the body text, 黑体 (black, not the theme blue) for the title and headings."""
    set_style_font(document.styles["Normal"], BODY_FONT, 12)
    sizes = {"Title": 22, "Heading 1": 16, "Heading 2": 13, "Heading 3": 12}
    for name in HEADING_STYLES:
        style = document.styles[name]
        set_style_font(style, HEADING_FONT, sizes[name])
        style.font.color.rgb = RGBColor(0, 0, 0)
    if "Meta" not in [s.name for s in document.styles]:
        meta = document.styles.add_style("Meta", WD_STYLE_TYPE.PARAGRAPH)
        meta.base_style = document.styles["Normal"]
        set_style_font(meta, BODY_FONT, 10.5)
        meta.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
