"""Knowledge pages. Thin: read through `visible_to`, check the input with a form, call one
action, render. An article the person may not see is a 404 exactly like a missing one; one
they may see but not change is a 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from port2port.core.permissions import Permission
from port2port.core.sharing import Status
from port2port.core.views import client_ip
from port2port.organisations.models import viewer_for
from port2port.reports.forms import AttachmentForm, organisations_where
from port2port.reports.views import apply_errors, attachment_response, audience_in_words, is_htmx, widens

from . import actions, search
from .diff import text_changes
from .forms import (
    ArticleContentForm, ArticleFilterForm, ArticleShareForm, CommentForm, CreateArticleForm, DeclineForm,
    FeedbackForm, ProposalForm, RevisionForm,
)
from .markdown import render as render_markdown
from .models import (
    Article, ArticleAttachment, ArticleComment, ArticleVersion, Feedback, Proposal, ProposalStatus,
)
from .reading import feedback_counts, lessons_visible, tag_counts

PAGE_SIZE = 20


def visible_article(viewer, pk, queryset=None) -> Article:
    """The article if this viewer may see it; otherwise the same 404 as a missing id."""
    queryset = Article.objects if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(viewer), pk=pk)


def detail_queryset():
    return Article.objects.select_related("owner_org", "author", "sharing_group").prefetch_related(
        "tags", "recipient_orgs", "recipient_people",
        Prefetch("attachments", queryset=ArticleAttachment.objects.select_related("uploaded_by")),
    )


def can_edit(viewer, article) -> bool:
    return not viewer.is_anonymous and Article.objects.editable_by(viewer).filter(pk=article.pk).exists()


def require_editable(viewer, article) -> None:
    if not can_edit(viewer, article):
        raise PermissionDenied(_("You may read this article but not change it."))


# --- list ------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """Articles I may see, by theme, tag, language and the search box."""
    viewer = viewer_for(request.user)
    form = ArticleFilterForm(request.GET)
    form.is_valid()  # invalid filters are shown with their message and left out
    visible = Article.objects.visible_to(viewer)
    # The search box: full text in the article's language and the others (knowledge/search.py).
    articles = form.apply(search.search(visible.for_list(), form.cleaned_data.get("q", "")))
    page = Paginator(articles.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "knowledge/index.html#results" if is_htmx(request) else "knowledge/index.html"
    response = render(request, template, {
        "form": form, "page": page, "tags": tag_counts(visible), "may_write": actions.may_write(request.user),
    })
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- detail and its parts --------------------------------------------------------------------


@login_required
@require_GET
def detail(request, pk):
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, detail_queryset())
    actions.record_read(article, reader=request.user, channel="web", ip=client_ip(request))
    return render(request, "knowledge/detail.html", detail_context(request, viewer, article))


def detail_context(request, viewer, article, *, comment_form=None, attachment_form=None) -> dict:
    editable = can_edit(viewer, article)
    comments = list(ArticleComment.objects.readable_by(article, viewer).select_related("author", "organisation"))
    proposals = Proposal.objects.readable_by(article, viewer).select_related("proposer", "organisation")
    mine = Feedback.objects.filter(article=article, user=request.user).values_list("kind", flat=True)
    return {
        "article": article,
        "body_html": render_markdown(article.body),
        "comments": [(comment, render_markdown(comment.body)) for comment in comments],
        "audience_words": audience_in_words(article),
        "lessons": lessons_visible(article, viewer),
        "can_edit": editable,
        "may_write": actions.may_write(request.user),
        "open_proposals": [p for p in proposals if p.status == ProposalStatus.OPEN],
        "my_decided_proposals": [p for p in proposals if p.status != ProposalStatus.OPEN and p.proposer_id == request.user.pk],
        "feedback": feedback_counts(article),
        "my_feedback": set(mine),
        "comment_form": comment_form or CommentForm(),
        "attachment_form": attachment_form or AttachmentForm(),
    }


@login_required
@require_POST
def comment(request, pk):
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, detail_queryset())
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.add_comment(article, acting_user=request.user, body=form.cleaned_data["body"], ip=client_ip(request))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect(reverse("knowledge:detail", args=[article.pk]) + "#comments")
    actions.record_read(article, reader=request.user, channel="web", ip=client_ip(request))
    return render(request, "knowledge/detail.html", detail_context(request, viewer, article, comment_form=form))


@login_required
@require_POST
def attach(request, pk):
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, detail_queryset())
    require_editable(viewer, article)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.add_attachment(article, acting_user=request.user, upload=form.cleaned_data["file"], ip=client_ip(request))
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(reverse("knowledge:detail", args=[article.pk]) + "#attachments")
    actions.record_read(article, reader=request.user, channel="web", ip=client_ip(request))
    return render(request, "knowledge/detail.html", detail_context(request, viewer, article, attachment_form=form))


@login_required
@require_GET
def attachment(request, pk, attachment_id):
    """A file of an article I may see, as a download the browser never renders."""
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk)
    found = get_object_or_404(ArticleAttachment.objects.filter(article=article), pk=attachment_id)
    actions.record_read(article, reader=request.user, channel="attachment", ip=client_ip(request))
    return attachment_response(found)


@login_required
@require_POST
def feedback(request, pk):
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose “helpful” or “adopted”."))
        return redirect(article)
    action = actions.withdraw_feedback if form.cleaned_data["withdraw"] else actions.give_feedback
    try:
        action(article, acting_user=request.user, kind=form.cleaned_data["kind"], ip=client_ip(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Thank you for your feedback.") if action is actions.give_feedback
                         else _("Your feedback was withdrawn."))
    return redirect(reverse("knowledge:detail", args=[article.pk]) + "#feedback")


# --- history and differences -----------------------------------------------------------------

KIND_WORDS = {
    "create": gettext_lazy("Written"),
    "revise": gettext_lazy("Revised"),
    "proposal": gettext_lazy("Proposal accepted"),
    "share": gettext_lazy("Shared or marking changed"),
}


@login_required
@require_GET
def history(request, pk):
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, Article.objects.select_related("owner_org"))
    actions.record_read(article, reader=request.user, channel="history", ip=client_ip(request))
    versions = ArticleVersion.objects.readable_by(article, viewer).select_related("author").order_by("-number")
    rows = [{"version": v, "kind": KIND_WORDS.get(v.kind, v.kind)} for v in versions]
    return render(request, "knowledge/history.html", {"article": article, "rows": rows})


@login_required
@require_GET
def compare(request, pk):
    """The lines that changed between two versions the reader may follow (?from=&to=)."""
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, Article.objects.select_related("owner_org"))
    readable = ArticleVersion.objects.readable_by(article, viewer).select_related("author")
    numbers = sorted(readable.values_list("number", flat=True))
    old_n, new_n = _version_number(request.GET.get("from")), _version_number(request.GET.get("to"))
    if not numbers:
        raise Http404
    new_n = new_n if new_n in numbers else numbers[-1]
    old_n = old_n if old_n in numbers else max([n for n in numbers if n < new_n] or [new_n])
    versions = {v.number: v for v in readable.filter(number__in={old_n, new_n})}
    actions.record_read(article, reader=request.user, channel="compare", ip=client_ip(request))
    return render(request, "knowledge/compare.html", {
        "article": article, "old": versions[old_n], "new": versions[new_n], "numbers": numbers,
        "changes": text_changes(versions[old_n], versions[new_n]),
    })


def _version_number(value) -> int | None:
    # ASCII only: "²" is a digit to isdigit() but not to int().
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


# --- write, revise, share --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    organisations = list(organisations_where(request.user, Permission.KNOWLEDGE_WRITE))
    if not organisations:
        raise PermissionDenied(_("Your role does not allow writing in the knowledge base."))
    data = request.POST if request.method == "POST" else None
    form = CreateArticleForm(data, user=request.user)
    marking_form = ArticleShareForm(data, user=request.user, owner_orgs=organisations)
    if data is not None and form.is_valid() & marking_form.is_valid():
        share_now = request.POST.get("intent") == "share"
        try:
            article = actions.write_article(
                acting_user=request.user, organisation=form.cleaned_data["organisation"], marking=marking_form.marking(),
                share_now=share_now, ip=client_ip(request), **form.content(), **form.links(),
            )
        except ValidationError as error:
            apply_errors(error, form, marking_form)
        else:
            messages.success(request, _("The article is shared.") if share_now else _("The article is saved as a draft."))
            return redirect(article)
    return render(request, "knowledge/form.html", {"form": form, "marking_form": marking_form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """Revise what the article says; a new version with a note. Sharing is its own page."""
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, detail_queryset())
    require_editable(viewer, article)
    if request.method == "POST":
        form = RevisionForm(request.POST, user=request.user)
        if form.is_valid():
            version = article.version
            try:
                actions.revise_article(article, acting_user=request.user, note=form.cleaned_data["note"],
                                       ip=client_ip(request), **form.content(), **form.links())
            except ValidationError as error:
                apply_errors(error, form)
            else:
                changed = article.version != version
                messages.success(request, _("A new version is saved.") if changed else _("Nothing changed."))
                return redirect(article)
    else:
        form = RevisionForm(initial=ArticleContentForm.initial_from(article, viewer), user=request.user)
    return render(request, "knowledge/form.html", {"form": form, "article": article, "creating": False})


@login_required
@require_http_methods(["GET", "POST"])
def share(request, pk):
    """Set the label and the audience; letting a shared article travel further asks for a yes."""
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, detail_queryset())
    require_editable(viewer, article)
    current_people = list(article.recipient_people.all())
    form_args = {"user": request.user, "owner_orgs": [article.owner_org], "current_people": current_people}
    if request.method == "POST":
        form = ArticleShareForm(request.POST, **form_args)
        if form.is_valid() and _loosening_confirmed(form, article):
            try:
                actions.share_article(article, acting_user=request.user, ip=client_ip(request), **form.marking())
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, f"{article.get_tlp_display()} — {audience_in_words(article)}")
                return redirect(article)
    else:
        form = ArticleShareForm(initial={
            "tlp": article.tlp, "audience": article.audience, "sharing_group": article.sharing_group,
            "recipient_orgs": list(article.recipient_orgs.all()), "recipient_people": current_people,
        }, **form_args)
    return render(request, "knowledge/share.html", {
        "form": form, "article": article, "audience_words": audience_in_words(article),
    })


def _loosening_confirmed(form, article) -> bool:
    if article.status == Status.DRAFT or form.cleaned_data["confirm_loosening"] or not widens(article, form.marking()):
        return True
    form.add_error("confirm_loosening", _("This lets the article travel further than now. Tick the box to confirm."))
    return False


# --- proposals -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, pk):
    """Suggest a better text. Readers who write knowledge may; the editors decide."""
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, Article.objects.select_related("owner_org"))
    if not actions.may_write(request.user):
        raise PermissionDenied(_("Your role does not allow writing in the knowledge base."))
    if request.method == "POST":
        form = ProposalForm(request.POST)
        if form.is_valid():
            try:
                actions.propose_edit(article, acting_user=request.user, ip=client_ip(request), **form.cleaned_data)
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, _("Your proposal was sent to the article's editors."))
                return redirect(article)
    else:
        form = ProposalForm(initial={"title": article.title, "summary": article.summary, "body": article.body})
    return render(request, "knowledge/propose.html", {"form": form, "article": article})


@login_required
@require_http_methods(["GET", "POST"])
def proposal(request, pk, proposal_id):
    """A proposal with what it changes; its editors accept it or decline it with a reason."""
    viewer = viewer_for(request.user)
    article = visible_article(viewer, pk, Article.objects.select_related("owner_org"))
    found = get_object_or_404(
        Proposal.objects.readable_by(article, viewer).select_related("proposer", "organisation", "decided_by"),
        pk=proposal_id,
    )
    editable = can_edit(viewer, article)
    decline_form = DeclineForm(request.POST if request.POST.get("decision") == "decline" else None)
    if request.method == "POST":
        require_editable(viewer, article)
        try:
            if request.POST.get("decision") == "accept":
                actions.accept_proposal(found, acting_user=request.user, ip=client_ip(request))
                messages.success(request, _("The proposal is accepted: it is the article's new version."))
                return redirect(article)
            if decline_form.is_valid():
                actions.decline_proposal(found, acting_user=request.user, reason=decline_form.cleaned_data["reason"],
                                         ip=client_ip(request))
                messages.success(request, _("The proposal is declined; the proposer sees your reason."))
                return redirect(article)
        except ValidationError as error:
            apply_errors(error, decline_form)
    is_open = found.status == ProposalStatus.OPEN
    # An open proposal is shown against the text it would replace; a decided one against the
    # version it was written for (when the reader may follow that version).
    base = article if is_open else (
        ArticleVersion.objects.readable_by(article, viewer).filter(number=found.base_version).first() or article
    )
    return render(request, "knowledge/proposal.html", {
        "article": article, "proposal": found, "can_decide": editable and is_open,
        "changes": text_changes(base, found), "decline_form": decline_form,
        "outdated": is_open and found.base_version != article.version,
    })
