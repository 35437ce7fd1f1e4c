"""Articles: discovery, formats and the loader (``load_articles``, ``paragraphs``, ``images``)."""

from __future__ import annotations

from analysis.articles.loader import ArticleError, ArticleWarning, images, load_articles, paragraphs

__all__ = ["ArticleError", "ArticleWarning", "images", "load_articles", "paragraphs"]
