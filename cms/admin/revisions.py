"""Staff pages for an article's history: every revision, a diff between any two, and restore."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from cms.admin import admin
from cms.admin.access import staff_required
from cms.admin.articles import find_article
from cms.content import editing
from cms.content.revisions import diff, get_revision, revisions_of
from cms.errors import NotFound
from cms.extensions import db


@admin.get("/articles/<article_id>/revisions")
@staff_required
def revisions(article_id: str) -> str:
    """With ``?a=<n>&b=<m>``, also the diff from revision n to revision m (default: the last two)."""
    article = find_article(article_id)
    history = revisions_of(article)
    numbers = [r.number for r in history]
    newer = request.args.get("b", type=int) or (numbers[0] if numbers else None)
    older = request.args.get("a", type=int) or (numbers[1] if len(numbers) > 1 else newer)
    changes: list[str] = []
    if older and newer:
        old_rev, new_rev = get_revision(article, older), get_revision(article, newer)
        if old_rev is None or new_rev is None:
            raise NotFound("This article has no such revision.")
        changes = diff(
            old_rev.snapshot, new_rev.snapshot, old_label=f"revision {older}", new_label=f"revision {newer}"
        )
    return render_template(
        "admin/articles/revisions.html",
        article=article,
        history=history,
        older=older,
        newer=newer,
        changes=changes,
    )


@admin.post("/articles/<article_id>/revisions/<int:number>/restore")
@staff_required
def restore_revision(article_id: str, number: int) -> Response:
    article = find_article(article_id)
    version = request.form.get("version", type=int)
    try:
        editing.restore_revision(article, number, current_user, expected_version=version)
    except editing.StaleVersion:
        db.session.rollback()
        flash("The article changed while you were looking; review the history again.", "error")
        return redirect(url_for("admin.revisions", article_id=article_id))
    db.session.commit()
    flash(f"Restored the content of revision {number}.", "success")
    return redirect(url_for("admin.edit_article", article_id=article.uuid))
