"""Build the Word templates under src/smartjustice/core/data/document_templates/ (run once; commit the .docx).

The files are made here rather than by hand so their Jinja tags each sit in a single run (docxtpl needs that)
and their layout follows GB/T 9704-2012 (A4, 28/26/37/35 mm margins, 二号 title, 三号 仿宋 body).
Usage: .venv/bin/python scripts/make_docx_templates.py
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

OUT = Path(__file__).resolve().parents[1] / "src" / "smartjustice" / "core" / "data" / "document_templates"
BODY_FONT = "仿宋"
TITLE_FONT = "宋体"


def _east_asia(run_or_style_element, name: str) -> None:
    rpr = run_or_style_element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def new_document() -> Document:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "Times New Roman"
    _east_asia(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    return document


def paragraph(
    document,
    text: str,
    *,
    align=None,
    size: int | None = None,
    font: str = BODY_FONT,
    indent: bool = False,
    bold: bool = False,
):
    p = document.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    _east_asia(run._r, font)
    return p


def govinfo_reply() -> Document:
    """政府信息公开申请答复书."""
    d = new_document()
    paragraph(d, "{{ organisation_name }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, font=TITLE_FONT)
    paragraph(d, "{{ document_title }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, font=TITLE_FONT)
    paragraph(d, "{{ document_number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(d, "{{ applicant_name }}：")
    paragraph(
        d,
        "本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ reference }}），"
        "申请获取：{{ description }}。",
        indent=True,
    )
    paragraph(d, "经审查，现答复如下：{{ reply_type_label }}。", indent=True)
    paragraph(d, "{{ reply_text }}", indent=True)
    paragraph(d, "{{ legal_basis }}", indent=True)
    paragraph(d, "{{ remedy }}", indent=True)
    paragraph(d, "")
    paragraph(d, "{{ organisation_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(d, "{{ answered_on }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    return d


TEMPLATES = {"govinfo_reply": govinfo_reply}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        path = OUT / f"{name}.docx"
        build().save(path)
        print(f"wrote {path.relative_to(OUT.parents[4])}")


if __name__ == "__main__":
    main()
