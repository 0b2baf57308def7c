from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from cairn.accounts.models import InviteChannel
from cairn.core.roles import Role
from cairn.lib.forms import flag
from cairn.lib.safety import SingleLineFields
from cairn.members.models import ConsentPurpose, Person, Sector

ROLE_CHOICES = [
    (Role.MEMBER.value, _("Member: takes part, sees events and the directory")),
    (Role.FACILITATOR.value, _("Facilitator: also runs breakouts and reads contributions")),
    (Role.COORDINATOR.value, _("Coordinator: runs the network, people and logins")),
]


class InviteForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How should the invitation reach them?"),
        choices=InviteChannel.choices,
        widget=forms.RadioSelect,
    )
    role = forms.TypedChoiceField(
        label=_("What may they do once logged in?"),
        choices=ROLE_CHOICES,
        coerce=int,
        initial=Role.MEMBER.value,
        required=False,
        empty_value=Role.MEMBER.value,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, new_login: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new_login:
            # An invitation to someone with a login only sets a new password.
            del self.fields["role"]


class RoleForm(forms.Form):
    role = forms.TypedChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("Eight letters and numbers, from your letter or phone call, e.g. ABCD-EF23."),
        error_messages={"required": _("Type the code from your letter or phone call.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class AcceptForm(forms.Form):
    """Choose a username and, unless logging in by emailed code, a password."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_(
            "Letters, numbers and . _ - only. You can also log in with your email address."
        ),
        error_messages={"required": _("Choose a username.")},
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person.user_id is not None:
            # Setting a new password for an existing login: the username stays.
            del self.fields["username"]
            self.fields["password1"].label = _("New password")
            self.fields["password2"].label = _("New password again")
            self.fields["password1"].required = True
            self.fields["password2"].required = True
        elif person.email:
            self.fields["password1"].help_text = _(
                "Optional: leave both empty to log in each time with a code we email to you."
            )
        else:
            self.fields["password1"].required = True
            self.fields["password2"].required = True

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        validator = User._meta.get_field("username").validators[0]
        validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("That username is taken; please choose another."))
        return username

    def clean(self) -> dict:
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 or p2:
            if p1 != p2:
                self.add_error("password2", _("The two passwords are not the same."))
            else:
                user = User(
                    username=data.get("username") or getattr(self.person.user, "username", ""),
                    email=self.person.email,
                    first_name=self.person.first_name,
                    last_name=self.person.last_name,
                )
                try:
                    password_validation.validate_password(p1, user)
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return data


class JoinForm(SingleLineFields, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        error_messages={"required": _("Give your first name.")},
    )
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    organisation_name = forms.CharField(
        label=_("Organisation or group"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if you are joining as yourself."),
    )
    sector = forms.ChoiceField(
        label=_("Which best describes you?"),
        choices=[("", _("Choose one")), *Sector.choices],
        error_messages={"required": _("Choose which best describes you.")},
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Postal address"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if you would like us to write to you by post."),
    )
    message = forms.CharField(
        label=_("Anything you would like to tell us?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consents = forms.MultipleChoiceField(
        label=_("You may contact me about"),
        choices=ConsentPurpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    privacy = forms.BooleanField(
        label=_("I agree that the network keeps these details to deal with my request."),
        error_messages={
            "required": _(
                "Tick the box so that we may keep your details to deal with your request."
            )
        },
    )
    # A field people never see; bots fill in everything (includes/field.html hides it).
    honeypot = "website"
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("email") or data.get("phone") or (data.get("address") or "").strip()):
            raise forms.ValidationError(
                _("Give an email address, a phone number or a postal address, so we can reply.")
            )
        return data


class ActiveForm(forms.Form):
    # "Let them log in again" posts 1; "Deactivate login" posts 0.
    active = flag(default=False)


class JoinDecisionForm(forms.Form):
    # Declining deletes the visitor's details at once: the second press, on the page that
    # says so, posts confirm=1.
    confirm = flag(default=False)
    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("decline", "decline")],
        error_messages={
            "required": _("Choose to approve or to decline the request."),
            "invalid_choice": _("Choose to approve or to decline the request."),
        },
    )


class DeleteAccountForm(forms.Form):
    """The last step before a member's own account is erased: their current password, as
    GitHub and Decidim ask, so that a session left open on a shared computer cannot delete
    it. A login with no password (they log in by emailed code) types its username instead."""

    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        error_messages={"required": _("Type your current password to delete your account.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    username = forms.CharField(
        label=_("Your username"),
        help_text=_("You log in with a code by email, so type your username to confirm."),
        error_messages={"required": _("Type your username to delete your account.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    # A tick rather than a typed phrase: as sure a step, and as easy with a switch or a
    # screen reader as with a keyboard.
    confirm = forms.BooleanField(
        label=_("I understand that my details and my login are removed for good."),
        error_messages={
            "required": _("Tick the box to confirm that you want your account deleted.")
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        del self.fields["username" if user.has_usable_password() else "password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your current password. Nothing has been deleted.")
            )
        return password

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"].strip()
        if typed.casefold() != self.user.get_username().casefold():
            raise forms.ValidationError(_("That is not your username. Nothing has been deleted."))
        return typed


# allauth's password forms with Cairn's words for their fields (ACCOUNT_FORMS in settings),
# and no placeholders repeating the label in other words.
def _relabel(form: forms.Form, labels: dict[str, str]) -> None:
    for name, label in labels.items():
        form.fields[name].label = label
        form.fields[name].widget.attrs.pop("placeholder", None)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": _("New password"), "password2": _("New password again")})


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "oldpassword": _("Current password"),
                "password1": _("New password"),
                "password2": _("New password again"),
            },
        )


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": _("Password"), "password2": _("Password again")})
