"""The persisted article index: written to settings.QA_INDEX_DIR, loaded lazily once per process.

Layout: `meta.json` names the current `articles-<stamp>.npz`. A rebuild writes the new arrays first and then
replaces meta.json atomically, so a reader never sees half an index; every process notices the new meta.json
(its modification time) on its next question and loads the new arrays.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

from .index import FORMAT_VERSION, ArticleRecord, LexicalRetriever, write_meta

logger = logging.getLogger(__name__)

META = "meta.json"

_lock = threading.RLock()  # current() → rebuild → build() → forget() re-enters it
_loaded: dict[str, tuple[int, LexicalRetriever]] = {}  # directory → (meta.json mtime_ns, retriever)


def index_dir() -> Path:
    return Path(settings.QA_INDEX_DIR)


def save(retriever: LexicalRetriever, directory: Path | None = None, *, extra: dict | None = None) -> dict:
    """Write the retriever's arrays and switch meta.json to them; older array files are removed."""
    directory = Path(directory or index_dir())
    directory.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.perf_counter_ns() % 1_000_000}"
    filename = f"articles-{stamp}.npz"
    retriever.save(directory / filename)
    meta = {
        **retriever.meta,
        **(extra or {}),
        "file": filename,
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    tmp = directory / f".{META}.{stamp}"
    write_meta(tmp, meta)
    os.replace(tmp, directory / META)
    for old in directory.glob("articles-*.npz"):
        if old.name != filename:
            old.unlink(missing_ok=True)
    retriever.meta = meta
    return meta


def read_meta(directory: Path | None = None) -> dict | None:
    path = Path(directory or index_dir()) / META
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def load(directory: Path | None = None) -> LexicalRetriever | None:
    """Read the index from disk, or None when there is none (or it has an older format)."""
    meta = read_meta(directory)
    if not meta or meta.get("format") != FORMAT_VERSION:
        return None
    return LexicalRetriever.load(Path(directory or index_dir()) / meta["file"], meta)


def build(
    records: Iterable[ArticleRecord], directory: Path | None = None, *, extra: dict | None = None
) -> dict:
    """Build from the given articles and persist; the next question in every process uses it."""
    retriever = LexicalRetriever.build(records)
    meta = save(retriever, directory, extra=extra)
    forget()
    return meta


def current(rebuild: Callable[[], object]) -> LexicalRetriever:
    """The process's retriever: loaded on first use, reloaded when meta.json changes, built if missing."""
    directory = index_dir()
    key = str(directory)
    meta_path = directory / META
    try:
        mtime = meta_path.stat().st_mtime_ns
    except FileNotFoundError:
        mtime = None
    cached = _loaded.get(key)
    if cached is not None and mtime is not None and cached[0] == mtime:
        return cached[1]
    with _lock:
        cached = _loaded.get(key)
        if mtime is None or load(directory) is None:
            logger.warning("法宝宝检索索引不存在或格式过期，正在从法规库重建：%s", directory)
            rebuild()
            mtime = meta_path.stat().st_mtime_ns
        if cached is None or cached[0] != mtime:
            retriever = load(directory)
            if retriever is None:
                raise RuntimeError(f"检索索引无法加载：{directory}")
            _loaded[key] = (mtime, retriever)
        return _loaded[key][1]


def forget() -> None:
    """Drop the loaded indexes of this process (the next question loads from disk again)."""
    with _lock:
        _loaded.clear()
