"""Article pages: search and filters, one article with its reprint group (read-only)."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy.orm import joinedload

from campaign.articles.models import Article
from campaign.articles.search import (
    ArticleFilters,
    page_label,
    paragraphs,
    reprint_group_members,
    search_articles,
)
from campaign.extensions import db
from campaign.planning.outlets import all_outlets
from campaign.sources.blueprint import bp

__all__ = ["bp"]


@bp.get("/articles")
def article_list() -> str:
    filters = ArticleFilters.from_args(request.args)
    results = search_articles(filters)
    return render_template("sources/articles.html", filters=filters, results=results,
                           outlets=all_outlets(), page_label=page_label)


@bp.get("/articles/<int:article_id>")
def article_detail(article_id: int) -> str:
    article = db.session.get(Article, article_id,
                             options=[joinedload(Article.outlet), joinedload(Article.body)])
    if article is None:
        abort(404)
    body = article.body.text if article.body else ""
    return render_template("sources/article.html", article=article, paragraphs=paragraphs(body),
                           group=reprint_group_members(article), page_label=page_label)
