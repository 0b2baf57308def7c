from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.exchange.models import Listing
from cairn.lib.safety import SingleLineFields


class ListingForm(SingleLineFields, forms.ModelForm):
    class Meta:
        model = Listing
        fields = [
            "kind",
            "category",
            "organisation",
            "title",
            "description",
            "topics",
            "region",
            "how_to_contact",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "how_to_contact": forms.Textarea(attrs={"rows": 3}),
        }


class ContactForm(SingleLineFields, forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Say who you are, what you would like, and how best to reach you."),
    )
    about = forms.IntegerField(required=False, widget=forms.HiddenInput)
