from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cairn.lib.safety import SingleLineFields


class NetworkForm(SingleLineFields, forms.Form):
    name = forms.CharField(
        label=_("Network name"),
        max_length=200,
        required=False,
        help_text=_("Shown on every page, signs letters and emails, and opens each report."),
    )
    about = forms.CharField(
        label=_("About the network"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence or two for visitors on the home page."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("For people who take part by phone; shown to visitors."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The return address on letters and paper forms, and shown to visitors. "
            "One line per line of the address."
        ),
    )

    def __init__(self, *args: Any, defaults: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # A blank field keeps what the server's environment set: say what that is.
        for name, value in (defaults or {}).items():
            if value and name in self.fields:
                shown = value.replace("\n", ", ")
                self.fields[name].widget.attrs["placeholder"] = shown

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and sum(c.isdigit() for c in phone) < 6:
            raise forms.ValidationError(_("Enter a phone number with at least 6 digits."))
        return phone

    def clean_postal_address(self) -> str:
        lines = [ln.strip() for ln in self.cleaned_data["postal_address"].splitlines()]
        lines = [ln for ln in lines if ln]
        if len(lines) > 7:
            raise forms.ValidationError(
                _("An address has at most 7 lines, to fit a window envelope.")
            )
        return "\n".join(lines)
