"""Official documents: Chinese renders in the PDF (real glyphs, not tofu), the Word file carries the text and an
East-Asian font, numbers are issued once, and the files are stored with their digests and an audit entry."""

import io
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import time_machine
from docx import Document
from docx.oxml.ns import qn

from smartjustice.core import attachments, documents
from smartjustice.core.choices import AuditEvent
from smartjustice.core.testing import assert_audited
from tests.core.factories import TIANHE
from tests.govinfo import factories

pytestmark = pytest.mark.django_db

TITLE = "政府信息公开申请答复书"
CONTEXT = {
    "organisation_name": "天河区司法局",
    "document_title": TITLE,
    "document_number": "天司信复〔2026〕7号",
    "applicant_name": "李明",
    "reference": "GK2026-000001",
    "received_on": "2026年09月28日",
    "description": "2025年本局行政执法统计年报",
    "reply_type_label": "予以公开",
    "reply_text": "现向您提供该年报。",
    "legal_basis": "依据《中华人民共和国政府信息公开条例》第三十六条第（二）项之规定，特此答复。",
    "remedy": "如对本答复不服，可以依法申请行政复议或者提起行政诉讼。",
    "answered_on": "2026年10月09日",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTIFICATION_CHANNELS = []


def _font_names(page) -> set[str]:
    import ctypes

    names = set()
    for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_TEXT]):
        font = pdfium_raw.FPDFTextObj_GetFont(obj.raw)
        size = pdfium_raw.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium_raw.FPDFFont_GetBaseFontName(font, buffer, size)
        names.add(buffer.value.decode("latin-1").split("+")[-1])
    return names


def _glyph_ink(page, textpage, start: int, count: int, scale: int = 3) -> list[int]:
    """Dark pixels inside each character's box: real glyphs differ from one another, tofu boxes do not."""
    image = page.render(scale=scale).to_pil().convert("L")
    height = page.get_height()
    ink = []
    for index in range(start, start + count):
        left, bottom, right, top = textpage.get_charbox(index)
        crop = image.crop(
            (
                int(left * scale),
                int((height - top) * scale),
                int(right * scale) + 1,
                int((height - bottom) * scale) + 1,
            )
        )
        ink.append(sum(crop.histogram()[:128]))
    return ink


def test_the_pdf_renders_chinese_with_the_embedded_cjk_font():
    assert documents.cjk_font_path() is not None, "no CJK font vendored under static/vendor/fonts/"
    pdf = documents.render_pdf("govinfo_reply", CONTEXT)
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        assert TITLE in text and "天司信复〔2026〕7号" in text and "第三十六条" in text
        assert "\ufffd" not in text
        assert documents.CJK_FAMILY.replace(" ", "-") in _font_names(page)
        start, count = textpage.search(TITLE).get_next()
        ink = _glyph_ink(page, textpage, start, count)
        assert all(value > 50 for value in ink), f"blank glyphs: {ink}"
        assert len(set(ink)) >= len(TITLE) - 2, f"the title's characters look alike (tofu?): {ink}"
    finally:
        document.close()


def test_the_docx_carries_the_text_and_an_east_asian_font():
    content = documents.render_docx("govinfo_reply", CONTEXT)
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TITLE in text and "李明：" in text and "天司信复〔2026〕7号" in text
    assert "{{" not in text
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == documents.DOCX_EAST_ASIA_FONT
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            assert run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")), (
                f"run without East-Asian font: {run.text}"
            )


def test_docx_escapes_markup_in_user_text():
    content = documents.render_docx("govinfo_reply", {**CONTEXT, "reply_text": "A & B <c>"})
    assert "A & B <c>" in "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


@time_machine.travel("2026-10-09 10:00 +0800", tick=False)
def test_document_numbers_run_per_prefix_and_year():
    assert [documents.issue_number("天司信复") for _ in range(3)] == [
        "天司信复〔2026〕1号",
        "天司信复〔2026〕2号",
        "天司信复〔2026〕3号",
    ]
    assert documents.issue_number("越司信复") == "越司信复〔2026〕1号"
    assert documents.issue_number("天司信复", year=2027) == "天司信复〔2027〕1号"


@time_machine.travel("2026-10-09 10:00 +0800", tick=False)
def test_a_generated_document_is_numbered_stored_with_digests_and_audited():
    request = factories.accepted(TIANHE)
    officer = factories.officer(TIANHE)
    generated = documents.generate_document(
        template="govinfo_reply",
        title=TITLE,
        context=CONTEXT,
        owner=request,
        actor=officer,
        number_prefix="天司信复",
    )
    assert generated.number == "天司信复〔2026〕1号"
    assert generated.pdf.original_name == f"{TITLE}（天司信复〔2026〕1号）.pdf"
    assert generated.docx.content_type.endswith("wordprocessingml.document")
    for attachment in (generated.pdf, generated.docx):
        assert attachment.document_number == generated.number
        assert re.fullmatch(r"[0-9a-f]{64}", attachment.sm3)
        assert attachments.verify_attachment(attachment).ok
        assert (attachment.owner_id, attachment.jurisdiction_code) == (str(request.pk), TIANHE)
    entry = assert_audited(AuditEvent.DOCUMENT_GENERATED, obj=request, actor=officer)
    assert entry.after["pdf"]["sha256"] == generated.pdf.sha256
    assert generated.number in entry.detail
