from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind, Review, Section, Translation


class SectionForm(forms.Form):
    text = forms.CharField(label=_("Text (English)"), required=False, widget=forms.Textarea(
        attrs={"rows": 12, "data-figure-target": "1"}))
    text_ru = forms.CharField(label=_("Text (Russian)"), required=False, widget=forms.Textarea(
        attrs={"rows": 12, "data-figure-target": "1"}))
    translation_ru = forms.ChoiceField(label=_("Russian translation"),
                                       choices=Translation.choices)
    text_kk = forms.CharField(label=_("Text (Kazakh)"), required=False, widget=forms.Textarea(
        attrs={"rows": 12, "data-figure-target": "1"}))
    translation_kk = forms.ChoiceField(label=_("Kazakh translation"),
                                       choices=Translation.choices)
    review = forms.ChoiceField(label=_("Review"), choices=Review.choices)

    def __init__(self, *args, section: Section, **kwargs):
        initial = {name: getattr(section, name) for name in (
            "text", "text_ru", "text_kk", "translation_ru", "translation_kk", "review")}
        super().__init__(*args, initial=initial, **kwargs)

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, reason in errors.items():
            self.add_error(name if name in self.fields else None, reason)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 3}))


RESERVED_NAMES = {"new"}


class NewReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    name = forms.SlugField(label=_("Name"), max_length=80, help_text=_(
        "Short name for the addresses and the command line, e.g. interim-report-1."))
    title = forms.CharField(label=_("Title"), max_length=300)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if name in RESERVED_NAMES:
            raise forms.ValidationError(_("This name is kept for a page; choose another."))
        return name

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, reason in errors.items():
            self.add_error(name if name in self.fields else None, reason)
