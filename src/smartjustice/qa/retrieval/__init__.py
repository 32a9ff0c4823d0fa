"""Article retrieval for 法宝宝: tokenisation, BM25, our fused retriever, the baseline, the persisted index."""

from .index import ArticleRecord, BaselineBM25, Hit, LexicalRetriever
from .store import build, current, forget, index_dir, load, read_meta

__all__ = [
    "ArticleRecord",
    "BaselineBM25",
    "Hit",
    "LexicalRetriever",
    "build",
    "current",
    "forget",
    "index_dir",
    "load",
    "read_meta",
]
