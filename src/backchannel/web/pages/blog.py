"""The blog's pages: the list, an article with its conversation, writing and editing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from backchannel.blog import actions, comments, permissions, queries
from backchannel.blog.forms import ArticleForm
from backchannel.blog.models import Article
from backchannel.errors import ActionError, CautionNeeded, NotAllowed, NotFound
from backchannel.events import queries as event_queries
from backchannel.text import whole_number
from backchannel.web.caution import passages
from backchannel.web.pages.feed import room_context
from backchannel.web.people import signed_in_user
from backchannel.web.posting import post_from_form


def index(request: HttpRequest, tag: str = "") -> HttpResponse:
    """Every published article the reader may read, newest first; or those with one tag."""
    tag = tag[:50].lower()
    paginator = Paginator(queries.published_articles(request.user, tag=tag), queries.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "blog/index.html", {"page": page, "tag": tag})


def event_blog(request: HttpRequest, slug: str) -> HttpResponse:
    """An event's articles; its organisers also see their drafts and write new ones."""
    event = event_queries.get_event_for(request.user, slug)
    can_write = permissions.can_write_article(request.user, event)
    return render(
        request,
        "blog/event.html",
        {
            "event": event,
            "articles": queries.published_articles(request.user, event=event),
            "drafts": queries.drafts_of(event) if can_write else [],
            "can_write": can_write,
        },
    )


def _article_page(
    request: HttpRequest,
    article: Article,
    *,
    draft: str = "",
    caution: list[dict[str, str]] | None = None,
    crisis: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    feed = comments.comment_feed(article)
    context = room_context(request, feed, draft=draft, caution=caution, crisis=crisis)
    if request.GET.get("fragment") == "threads":
        return render(request, "feed/_older_threads.html", context)
    context.update(
        {
            "article": article,
            "tags": list(article.tags.all()),
            "explore": queries.neighbours(request.user, article),
            "comment_count": queries.comment_count(article),
            "can_post": permissions.can_comment(request.user, article),
            "can_edit": permissions.can_edit_article(request.user, article),
            "is_member": event_queries.registration_of(request.user, article.event) is not None,
        }
    )
    return render(request, "blog/article.html", context, status=status)


def article(request: HttpRequest, article_slug: str) -> HttpResponse:
    return _article_page(request, queries.get_article_for(request.user, article_slug))


def cover(request: HttpRequest, article_slug: str, version: int) -> HttpResponse:
    """The cover image; its address changes with every upload, so it is cached for a year."""
    image = queries.cover_of(request.user, article_slug)
    if image is None:
        raise NotFound("This article has no cover image.")
    response = HttpResponse(image, content_type="image/webp")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def add_comment(request: HttpRequest, article_slug: str) -> HttpResponse:
    """Without JavaScript: comment, then back to the article (or its caution prompt)."""
    article = queries.get_article_for(request.user, article_slug)
    url = reverse("article", args=[article.slug])
    return post_from_form(
        request,
        lambda: actions.comment(
            signed_in_user(request),
            article,
            body=request.POST.get("body", ""),
            reply_to=whole_number(request.POST.get("reply_to", "")),
            client_id=request.POST.get("client_id") or None,
            confirm=request.POST.get("confirm") == "1",
        ),
        page=lambda **page: _article_page(request, article, **page),
        back=url + "#conversation",
        posted=lambda result: url + f"#post-{result.post.pk}",
        held="Thanks. Your comment is waiting for a facilitator and appears once approved; "
        "you will hear back either way.",
    )


def _form_fields(form: ArticleForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "summary": data["summary"],
        "tags": data["tags"],
        "session": data["session"] or None,
        "comments_open": data["comments_open"],
        "cover_alt": data["cover_alt"],
    }


def _save_cover(request: HttpRequest, form: ArticleForm, saved: Article) -> None:
    upload = form.cleaned_data.get("cover")
    if upload:
        actions.set_cover(signed_in_user(request), saved, upload.read(6 * 1024 * 1024))
    elif form.cleaned_data.get("remove_cover"):
        actions.remove_cover(signed_in_user(request), saved)


def _editor(
    request: HttpRequest, event: Any, article: Article | None
) -> tuple[ArticleForm, list[dict[str, str]], HttpResponse | None]:
    """Handle the article form: save and redirect, or the form again with what is wrong."""
    caution: list[dict[str, str]] = []
    if request.method != "POST":
        initial: dict[str, Any] = {"comments_open": True}
        if article is not None:
            initial = {
                "title": article.title,
                "summary": article.summary,
                "body": article.body,
                "tags": " ".join(t.name for t in article.tags.all()),
                "session": str(article.session_id or ""),
                "comments_open": article.comments_open,
                "cover_alt": article.cover_alt,
            }
        return ArticleForm(initial=initial, event=event), caution, None
    form = ArticleForm(request.POST, request.FILES, event=event)
    if not form.is_valid():
        return form, caution, None
    publish = request.POST.get("publish") == "1"
    confirm = request.POST.get("confirm") == "1"
    actor = signed_in_user(request)
    try:
        if article is None:
            saved = actions.create_article(
                actor, event, publish=publish, confirm=confirm, **_form_fields(form)
            )
        else:
            saved = actions.update_article(
                actor, article, publish=publish, confirm=confirm, **_form_fields(form)
            )
        _save_cover(request, form, saved)
    except CautionNeeded as exc:
        text = f"{form.cleaned_data['title']}\n\n{form.cleaned_data['summary']}\n\n"
        text += form.cleaned_data["body"]
        caution = passages(text, exc.findings)
        return form, caution, None
    except ActionError as exc:
        field = getattr(exc, "field", None)
        form.add_error(field if field in form.fields else None, exc.message)
        return form, caution, None
    messages.success(request, "Published." if saved.is_published else "Saved as a draft.")
    return form, caution, redirect("article", saved.slug)


@login_required
def new_article(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_queries.get_event_for(request.user, slug)
    if not permissions.can_write_article(request.user, event):
        raise NotAllowed("Articles are written by the event's organisers.")
    form, caution, done = _editor(request, event, None)
    if done is not None:
        return done
    return render(
        request,
        "blog/edit.html",
        {"event": event, "form": form, "article": None, "caution": caution},
        status=409 if caution else 200,
    )


@login_required
def edit_article(request: HttpRequest, article_slug: str) -> HttpResponse:
    article = queries.get_article_for(request.user, article_slug)
    if not permissions.can_edit_article(request.user, article):
        raise NotAllowed("Only the event's organisers can change its articles.")
    form, caution, done = _editor(request, article.event, article)
    if done is not None:
        return done
    return render(
        request,
        "blog/edit.html",
        {"event": article.event, "form": form, "article": article, "caution": caution},
        status=409 if caution else 200,
    )


@login_required
@require_POST
def delete_article(request: HttpRequest, article_slug: str) -> HttpResponse:
    article = queries.get_article_for(request.user, article_slug)
    slug = article.event.slug
    actions.delete_article(signed_in_user(request), article)
    messages.success(request, "The article is deleted. Its comments stay in the feed.")
    return redirect("event_blog", slug)
