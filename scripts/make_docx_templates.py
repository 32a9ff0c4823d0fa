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


# --- 执法文书 (enforcement/documents.py; helper H2) ----------------------------------------------------------------
# One template per CaseDocumentKind, filled from enforcement.documents.case_context (the same strings as the PDF).


def _enforcement_head(d) -> None:
    paragraph(d, "{{ organisation_name }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, font=TITLE_FONT)
    paragraph(d, "{{ document_title }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, font=TITLE_FONT)
    paragraph(d, "{{ document_number }}", align=WD_ALIGN_PARAGRAPH.RIGHT)


def _enforcement_signature(d, date: str = "{{ today }}") -> None:
    paragraph(d, "")
    paragraph(d, "{{ organisation_name }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(d, "（印章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(d, date, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _enforcement_form(lines, *, closing=(), date: str | None = "{{ today }}"):
    def build() -> Document:
        d = new_document()
        _enforcement_head(d)
        for text in lines:
            paragraph(d, text)
        for text in closing:
            paragraph(d, text, indent=True)
        if date is not None:
            _enforcement_signature(d, date)
        return d

    return build


def _records(kind_label: str):
    return [
        "案件编号：{{ case_number }}",
        "案由：{{ cause }}",
        "地点：{{ location }}",
        "当事人：{{ party_name }}（{{ party_id_label }}：{{ party_id_number }}）",
        "住所（地址）：{{ party_address }}",
        "执法人员：{{ handlers }}",
        "{% for r in evidence %}{% if r.kind == '" + kind_label + "' %}{{ r.title }}（{{ r.captured_at }}）："
        "{{ r.content }}{% endif %}{% endfor %}",
        "当事人（被询问人）签名：　　　　　　执法人员签名：",
    ]


ENFORCEMENT_TEMPLATES = {
    "enforcement_filing_approval": _enforcement_form(
        [
            "案件编号：{{ case_number }}",
            "案由：{{ cause }}",
            "案件来源：{{ source }}（发现日期：{{ discovered_on }}）",
            "当事人：{{ party_name }}（{{ party_kind }}）",
            "{{ party_id_label }}：{{ party_id_number }}",
            "住所（地址）：{{ party_address }}",
            "联系电话：{{ party_phone }}",
            "违法地点：{{ location }}",
            "简要案情：{{ facts }}",
            "承办人员：{{ handlers }}",
            "立案依据：《中华人民共和国行政处罚法》第五十四条第二款",
            "负责人审批意见：{% if filed_on %}同意立案。立案日期：{{ filed_on }}{% endif %}",
        ]
    ),
    "enforcement_inspection_record": _enforcement_form(_records("现场检查（勘验）笔录"), date=None),
    "enforcement_inquiry_record": _enforcement_form(_records("询问笔录"), date=None),
    "enforcement_legal_review": _enforcement_form(
        [
            "案件编号：{{ case_number }}",
            "案由：{{ cause }}",
            "当事人：{{ party_name }}",
            "违法事实：{{ facts }}",
            "证据：{{ evidence_summary }}",
            "拟处罚依据：{{ legal_basis }}",
            "拟处罚种类和幅度：{{ sanctions }}",
            "审核结论：{{ legal_review_result }}",
            "审核意见：{{ legal_review_opinion }}",
            "法制审核人员：{{ reviewers }}",
        ],
        date="{{ reviewed_on or today }}",
    ),
    "enforcement_prior_notice": _enforcement_form(
        ["{{ party_name }}：", "（{{ party_id_label }}：{{ party_id_number }}；住所：{{ party_address }}）"],
        closing=(
            "经查，{{ facts }}",
            "以上事实有下列证据证明：{{ evidence_summary }}。",
            "你（单位）的上述行为违反了{{ legal_basis }}的规定。本机关拟对你（单位）作出如下行政处罚：{{ sanctions }}。",
            "根据{{ notice_basis }}的规定，现将拟作出的行政处罚内容及事实、理由、依据告知你（单位）。你（单位）有权进行"
            "陈述和申辩（《中华人民共和国行政处罚法》第四十五条）。如有陈述、申辩意见，请于收到本告知书之日起{{ statement_period }}内向本机关"
            "提出；逾期未提出的，视为放弃陈述、申辩。{% if hearing_offered %}根据《中华人民共和国行政处罚法》第六十三条的规定，"
            "你（单位）有要求听证的权利，如要求听证，应当在收到本告知书之日起五日内提出（第六十四条第一项）。{% endif %}",
            "联系地址：{{ agency_address }}　联系电话：{{ agency_phone }}",
        ),
        date="{{ notified_on or today }}",
    ),
    "enforcement_hearing_notice": _enforcement_form(
        ["{{ party_name }}："],
        closing=(
            "根据你（单位）的听证申请，本机关定于{{ hearing_on }}就{{ cause }}一案（案件编号：{{ case_number }}）举行听证，"
            "地点：{{ agency_address }}。",
            "依照{{ hearing_basis }}的规定，听证除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，公开举行；你（单位）"
            "认为主持人与本案有直接利害关系的，有权申请回避；可以亲自参加听证，也可以委托一至二人代理。",
            "当事人不承担行政机关组织听证的费用（《中华人民共和国行政处罚法》第六十三条第二款）。",
        ),
    ),
    "enforcement_decision": _enforcement_form(
        [
            "当事人：{{ party_name }}",
            "{{ party_id_label }}：{{ party_id_number }}",
            "住所（地址）：{{ party_address }}",
        ],
        closing=(
            "本机关于{{ filed_on or discovered_on }}对你（单位）{{ cause }}一案立案调查（案件编号：{{ case_number }}）。"
            "现已调查终结。",
            "经查明：{{ facts }}",
            "上述事实，有以下证据证明：{{ evidence_summary }}。",
            "本机关于{{ notified_on }}向你（单位）送达了行政处罚事先告知书（{{ notice_number }}）。陈述、申辩情况：{{ statement }}。",
            "本机关认为，你（单位）的上述行为违反了{{ legal_basis }}的规定。依据上述规定，决定给予如下行政处罚：{{ sanctions }}。",
            "履行方式和期限：{{ payment }}",
            "{{ remedies }}",
        ),
        date="{{ decided_on or today }}",
    ),
    "enforcement_on_the_spot_decision": _enforcement_form(
        [
            "当事人：{{ party_name }}",
            "{{ party_id_label }}：{{ party_id_number }}",
            "住所（地址）：{{ party_address }}",
        ],
        closing=(
            "违法事实：{{ facts }}（地点：{{ location }}）",
            "你（单位）的上述行为违反了{{ legal_basis }}的规定。依照《中华人民共和国行政处罚法》第五十一条、第五十二条的"
            "规定，执法人员当场作出如下行政处罚：{{ sanctions }}。",
            "履行方式和期限：{{ payment }}",
            "{{ remedies }}",
            "执法人员：{{ handlers }}",
            "当事人签收：{% if signature_refused %}当事人拒绝签收，已由执法人员注明。{% endif %}",
        ),
        date="{{ decided_on or today }}",
    ),
    "enforcement_service_receipt": _enforcement_form(
        [
            "送达文书名称及文号：行政处罚决定书（{{ decision_number }}）",
            "受送达人：{{ party_name }}",
            "送达地址：{{ party_address }}",
            "送达方式：{{ service_method }}",
            "送达日期：{{ served_on }}",
            "受送达人签名或者盖章：",
            "送达人：{{ handlers }}",
        ],
        closing=("依照{{ service_basis }}的规定，当事人不在场的，应当在七日内送达。",),
        date="{{ served_on or today }}",
    ),
    "enforcement_closing_report": _enforcement_form(
        [
            "案件编号：{{ case_number }}",
            "案由：{{ cause }}",
            "当事人：{{ party_name }}",
            "程序：{{ procedure }}",
            "立案日期：{{ filed_on }}",
            "违法事实：{{ facts }}",
            "处理结果：{% if decision_number %}{{ decided_on }}作出行政处罚决定（{{ decision_number }}）：{{ sanctions }}"
            "{% else %}{{ status }}{% endif %}",
            "执行情况：已缴纳{{ paid_amount }}；加处罚款{{ surcharge_amount }}",
            "承办人员：{{ handlers }}",
            "负责人审批意见：{% if closed_on %}同意结案。结案日期：{{ closed_on }}{% endif %}",
        ],
        date="{{ closed_on or today }}",
    ),
}


TEMPLATES = {"govinfo_reply": govinfo_reply, **ENFORCEMENT_TEMPLATES}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        path = OUT / f"{name}.docx"
        build().save(path)
        print(f"wrote {path.relative_to(OUT.parents[4])}")


if __name__ == "__main__":
    main()
