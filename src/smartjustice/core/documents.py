"""Official documents (文书): numbered, rendered to PDF (WeasyPrint) and DOCX (docxtpl), stored as attachments.

Templates are files, not code: HTML under templates/documents/<name>.html, Word under
core/data/document_templates/<name>.docx (made by scripts/make_docx_templates.py). PDFs embed a CJK font from
static/vendor/fonts/ (or, failing that, a system CJK font) through an @font-face file:// URL, and WeasyPrint may
fetch nothing but local files. Word documents get their East-Asian font set explicitly on every style and run,
because Word otherwise falls back to a Latin font's East-Asian partner and the layout shifts between machines.
"""

from __future__ import annotations

import io
import logging
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from . import attachments, audit
from .choices import AuditEvent
from .models import Attachment, DocumentSequence

logger = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
FONT_DIR = PACKAGE_DIR / "static" / "vendor" / "fonts"
DOCX_TEMPLATE_DIR = Path(__file__).resolve().parent / "data" / "document_templates"
FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc", ".woff2", ".woff")
# Body text of official documents is 仿宋 (GB/T 9704-2012 §7.1); Word uses these names, the PDF embeds CJK_FAMILY.
DOCX_EAST_ASIA_FONT = "仿宋"
DOCX_TITLE_FONT = "宋体"
CJK_FAMILY = "SmartJustice CJK"


# --- fonts -----------------------------------------------------------------------------------------------------


def _vendored_fonts() -> list[Path]:
    if not FONT_DIR.is_dir():
        return []
    fonts = [p for p in sorted(FONT_DIR.rglob("*")) if p.suffix.lower() in FONT_SUFFIXES]
    # Prefer a serif (宋体-like) face for official documents, then any CJK face.
    return sorted(
        fonts,
        key=lambda p: (
            ("serif" not in p.name.lower() and "song" not in p.name.lower()),
            "bold" in p.name.lower(),
            p.name,
        ),
    )


def _system_cjk_font() -> Path | None:
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.split(":")[0].strip() for line in out.splitlines() if line.strip())
    return Path(files[0]) if files else None


def cjk_font_path() -> Path | None:
    """The font embedded in PDFs: vendored first (reproducible everywhere), else one the system has."""
    vendored = _vendored_fonts()
    if vendored:
        return vendored[0]
    system = _system_cjk_font()
    if system is None:
        logger.warning("no CJK font found in %s or on the system: Chinese in PDFs will not render", FONT_DIR)
    return system


def font_face_css() -> str:
    path = cjk_font_path()
    if path is None:
        return ""
    return f'@font-face {{ font-family: "{CJK_FAMILY}"; src: url("{path.resolve().as_uri()}"); }}'


# --- rendering -----------------------------------------------------------------------------------------------------


def render_pdf(template: str, context: dict) -> bytes:
    """Render templates/documents/<template>.html to PDF with the CJK font embedded."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        f"documents/{template}.html", {**context, "font_face_css": font_face_css(), "cjk_family": CJK_FAMILY}
    )
    fetcher = URLFetcher(allowed_protocols={"file", "data"})  # no network, ever
    return HTML(string=html, base_url=str(PACKAGE_DIR), url_fetcher=fetcher).write_pdf()


def _set_east_asia_font(run_properties_owner, font_name: str) -> None:
    from docx.oxml.ns import qn

    rpr = run_properties_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font_name)


def apply_east_asia_font(document, *, body: str = DOCX_EAST_ASIA_FONT, title: str = DOCX_TITLE_FONT) -> None:
    """Set the East-Asian font on every style and every run (headings and the 'Title' style get `title`)."""
    from docx.enum.style import WD_STYLE_TYPE

    def font_for(style_name: str) -> str:
        return title if style_name.startswith(("Title", "Heading")) else body

    for style in document.styles:
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            _set_east_asia_font(style.element, font_for(style.name or ""))

    def paragraphs():
        yield from document.paragraphs
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs

    for paragraph in paragraphs():
        name = paragraph.style.name if paragraph.style is not None else ""
        for run in paragraph.runs:
            _set_east_asia_font(run._r, font_for(name))


def render_docx(template: str, context: dict) -> bytes:
    """Render core/data/document_templates/<template>.docx with docxtpl (Jinja tags in the Word file)."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(DOCX_TEMPLATE_DIR / f"{template}.docx")
    document.render(context, autoescape=True)
    apply_east_asia_font(document.docx)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- numbering and storing -----------------------------------------------------------------------------------------


def issue_number(prefix: str, *, year: int | None = None) -> str:
    """The next document number for `prefix` in `year`, e.g. 天司信复〔2026〕3号 (never issued twice)."""
    year = year or timezone.localdate().year
    with transaction.atomic():
        DocumentSequence.objects.get_or_create(prefix=prefix, year=year)
        DocumentSequence.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        last = DocumentSequence.objects.filter(prefix=prefix, year=year).values_list("last", flat=True).get()
    return f"{prefix}〔{year}〕{last}号"


@dataclass
class GeneratedDocument:
    number: str
    title: str
    files: dict[str, Attachment] = field(default_factory=dict)  # "pdf"/"docx" → stored attachment

    @property
    def pdf(self) -> Attachment | None:
        return self.files.get("pdf")

    @property
    def docx(self) -> Attachment | None:
        return self.files.get("docx")


RENDERERS = {"pdf": render_pdf, "docx": render_docx}


@transaction.atomic
def generate_document(
    *,
    template: str,
    title: str,
    context: dict,
    owner,
    actor,
    number_prefix: str,
    formats=("pdf", "docx"),
    number: str | None = None,
) -> GeneratedDocument:
    """Number, render and store a document for `owner`; its digests are kept and DOCUMENT_GENERATED recorded."""
    number = number or issue_number(number_prefix)
    context = {
        **context,
        "document_number": number,
        "document_title": title,
        "platform_name": settings.PLATFORM_NAME,
    }
    generated = GeneratedDocument(number=number, title=title)
    # One entry for the document, its stored files as sub-steps (or all of it a sub-step of the caller's operation).
    with audit.operation(
        AuditEvent.DOCUMENT_GENERATED, obj=owner, actor=actor, detail=f"{title} {number}"
    ) as op:
        for fmt in formats:
            content = RENDERERS[fmt](template, context)
            generated.files[fmt] = attachments.store_attachment(
                content,
                actor=actor,
                owner=owner,
                filename=f"{title}（{number}）.{fmt}",
                purpose=title,
                document_number=number,
            )
        op.note(
            after={
                fmt: {"attachment": a.pk, "sha256": a.sha256, "sm3": a.sm3}
                for fmt, a in generated.files.items()
            }
        )
    return generated
