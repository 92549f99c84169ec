"""Forms for the knowledge pages: they check the shape of the input; the actions decide and
write. The marking fields are the reports' own form, so both read the same."""

from django import forms
from django.utils.translation import gettext_lazy as _

from port2port.core.permissions import Permission
from port2port.reports.forms import MarkingForm, OrganisationChoiceField, organisations_where
from port2port.reports.models import Report

from .actions import MAX_TAGS, parse_tags
from .models import Article, ArticleComment, FeedbackKind, Language, Proposal, Theme


def _model_field(model, name: str, **overrides):
    """The form field Django derives from the model: label, length and choices in one place."""
    return model._meta.get_field(name).formfield(**overrides)


class ReportChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, report):
        return f"{report.title} ({report.occurred_at:%d/%m/%Y})"


class ArticleContentForm(forms.Form):
    """What the article says, with its tags and the reports it draws lessons from."""

    title = _model_field(Article, "title")
    summary = _model_field(Article, "summary", widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("One or two sentences shown in the list."))
    body = _model_field(Article, "body", widget=forms.Textarea(attrs={"rows": 18, "class": "markdown-input"}),
                        help_text=_("Markdown: # headings, **bold**, lists, [links](https://…), tables. No HTML, no images."))
    theme = _model_field(Article, "theme")
    language = _model_field(Article, "language")
    tags = forms.CharField(label=_("Tags"), required=False, max_length=600,
                           help_text=_("Separated by commas, for example: reefer, pin codes."))
    lessons_from = ReportChoiceField(label=_("Lessons learned from reports"), queryset=Report.objects.none(),
                                     required=False, widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lessons_from"].queryset = Report.objects.visible_to(user).order_by("-occurred_at")
        self.fields["theme"].choices = Theme.choices

    def clean_tags(self):
        tags = parse_tags(self.cleaned_data["tags"])
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(_("Use at most %(count)d tags.") % {"count": MAX_TAGS})
        return tags

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "summary", "body", "theme", "language")}

    def links(self) -> dict:
        return {"tags": self.cleaned_data["tags"], "lessons_from": list(self.cleaned_data["lessons_from"])}

    @staticmethod
    def initial_from(article: Article, viewer) -> dict:
        from .reading import lessons_visible

        initial = {name: getattr(article, name) for name in ("title", "summary", "body", "theme", "language")}
        initial["tags"] = ", ".join(tag.slug for tag in article.tags.all())
        initial["lessons_from"] = list(lessons_visible(article, viewer))
        return initial


class CreateArticleForm(ArticleContentForm):
    organisation = OrganisationChoiceField(queryset=None, label=_("Organisation"))
    field_order = ["organisation"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["organisation"].queryset = organisations_where(user, Permission.KNOWLEDGE_WRITE)
        if self.fields["organisation"].queryset.count() == 1:
            self.fields["organisation"].initial = self.fields["organisation"].queryset.first()
            self.fields["organisation"].empty_label = None


class RevisionForm(ArticleContentForm):
    note = forms.CharField(label=_("What changed"), max_length=300, required=False,
                           help_text=_("A short note for the version history."))


class ArticleShareForm(MarkingForm):
    confirm_loosening = forms.BooleanField(
        label=_("I understand that this lets the article reach more people, or lets them do more with it."),
        required=False,
    )


class CommentForm(forms.ModelForm):
    class Meta:
        model = ArticleComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"body": _("Markdown is allowed.")}


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "summary", "body", "note"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 18, "class": "markdown-input"}),
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(choices=FeedbackKind.choices)
    withdraw = forms.BooleanField(required=False)


class ArticleFilterForm(forms.Form):
    """The list filters. Every value is optional; a bad one is reported and ignored."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    theme = forms.ChoiceField(label=_("Theme"), choices=[("", _("All themes")), *Theme.choices], required=False)
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("All languages")), *Language.choices],
                                 required=False)

    def clean_tag(self):
        # Normalised, not looked up: whether a tag exists elsewhere is not this reader's business.
        return self.cleaned_data["tag"].strip().lower()

    def apply(self, queryset):
        """Narrow `queryset` (already passed through visible_to) by the valid filters."""
        data = getattr(self, "cleaned_data", {})
        if data.get("theme"):
            queryset = queryset.filter(theme=data["theme"])
        if data.get("language"):
            queryset = queryset.filter(language=data["language"])
        if data.get("tag"):
            queryset = queryset.filter(tags__slug=data["tag"])
        return queryset
