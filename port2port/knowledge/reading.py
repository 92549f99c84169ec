"""Reading helpers for the knowledge pages and the API. Every one of them starts from
articles the caller found through `visible_to`."""

from django.contrib.auth import get_user_model
from django.db.models import Count

from port2port.organisations.models import viewer_for
from port2port.reports.models import Report

from .models import Article, Feedback, FeedbackKind, Tag


def feedback_counts(article: Article) -> dict[str, int]:
    """How many people found the article helpful and how many organisations adopted it,
    counting only givers who may still read it (a label tightened since, a person who left)."""
    rows = list(Feedback.objects.filter(article=article).values_list("kind", "user_id", "organisation_id"))
    readers = _still_readers(article, {user_id for _, user_id, _ in rows})
    return {
        FeedbackKind.HELPFUL: len({user for kind, user, _ in rows if kind == FeedbackKind.HELPFUL and user in readers}),
        FeedbackKind.ADOPTED: len({org for kind, user, org in rows if kind == FeedbackKind.ADOPTED and user in readers}),
    }


def _still_readers(article: Article, user_ids: set[int]) -> set[int]:
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True)
    return {user.pk for user in users if Article.objects.visible_to(viewer_for(user)).filter(pk=article.pk).exists()}


def tag_counts(articles) -> list[dict]:
    """The tags of `articles` (already narrowed by visible_to) with how many use each."""
    rows = Tag.objects.filter(articles__in=articles).annotate(n=Count("articles")).order_by("-n", "slug")
    return [{"slug": tag.slug, "count": tag.n} for tag in rows[:40]]


def lessons_visible(article: Article, viewer):
    """The reports the article draws lessons from that this reader may see; the rest stay
    unmentioned, as if the article did not cite them."""
    return Report.objects.visible_to(viewer).filter(pk__in=article.lessons_from.values("pk")).select_related("port")
