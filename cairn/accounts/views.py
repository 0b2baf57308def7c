from allauth.account.views import LoginView
from allauth.core import ratelimit
from allauth.core.internal import ratelimit as internal_ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cairn.accounts import services
from cairn.accounts.forms import (
    AcceptForm,
    ActiveForm,
    DeleteAccountForm,
    InviteForm,
    JoinDecisionForm,
    JoinForm,
    RedeemForm,
    RoleForm,
)
from cairn.accounts.models import InviteChannel, JoinRequest, JoinStatus
from cairn.core.network import network
from cairn.core.roles import Role, coordinator_required, member_required
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate
from cairn.members.models import Person, person_matches

SESSION_CODE = "cairn_invite_code"


class CairnLoginView(LoginView):
    # Cairn's own login page: the same allauth form, with "Log in" words and styling.
    template_name = "account/login.html"


def old_password_reset(request: HttpRequest) -> HttpResponse:
    """Django's familiar address for resetting a password, kept working."""
    return redirect("account_reset_password", permanent=True)


@login_required
def email_addresses(request: HttpRequest) -> HttpResponse:
    """allauth's "Email addresses" page, sent to My details: a member's address is kept on
    their record there (outreach writes to it) and the login follows it. allauth's own page
    could add or make primary an address the record never hears of."""
    return redirect(reverse("members:me") + "#id_email")


@member_required
def delete_me(request: HttpRequest) -> HttpResponse:
    """A member deletes their own account: what goes and what stays, the export offered
    first, then their current password and a tick before anything is erased."""
    person = Person.objects.filter(user=request.user, anonymised_at__isnull=True).first()
    if person is None:
        raise Http404
    # Not `request.POST or None`: an unticked box posts nothing, and must still be an error.
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    problems = []
    if request.method == "POST" and not ratelimit.consume(
        request, action="delete_account", user=request.user
    ):
        # Checked before the form, so guessing a password here is as slow as at the login.
        form = DeleteAccountForm(user=request.user)
        problems.append(_("Too many tries. Please wait a minute and try again."))
    elif request.method == "POST" and form.is_valid():
        try:
            services.delete_own_account(request.user)
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(
                request,
                _("Your account was deleted. Thank you for taking part in the network."),
            )
            return redirect("home")
    return render(
        request,
        "accounts/delete_me.html",
        {
            "p": person,
            "form": form,
            "problems": problems,
            "contributions": person.contributions.count(),
        },
    )


# --- invitations (coordinators) ------------------------------------------------------------


def _person_for_coordinator(pk: int) -> Person:
    return get_object_or_404(Person, pk=pk, anonymised_at__isnull=True)


@coordinator_required
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_coordinator(pk)
    form = InviteForm(
        request.POST or None,
        initial={"channel": _default_channel(person)},
        new_login=person.user_id is None,
    )
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        role = Role(form.cleaned_data.get("role") or Role.MEMBER)
        try:
            issued = services.create_invite(person, channel, request.user, role=role)
        except services.AccountError as error:
            form.add_error("channel", str(error))
        else:
            if channel == InviteChannel.EMAIL:
                messages.success(
                    request,
                    _("Emailed to %(email)s.") % {"email": person.email}
                    if person.user_id
                    else _("Invitation emailed to %(email)s.") % {"email": person.email},
                )
                return redirect(person)
            # The code exists only now: keep it for the next page, which shows it once.
            request.session[SESSION_CODE] = {"person": person.pk, "code": issued.code}
            return redirect("accounts:invite_sent", pk=person.pk)
    # Not "problems": that name is the error summary's list of messages (includes/error_summary.html).
    channel_problems = {
        value: services.invite_problem(person, value) for value in InviteChannel.values
    }
    return render(
        request,
        "accounts/invite.html",
        {"p": person, "form": form, "channel_problems": channel_problems},
    )


def _default_channel(person: Person) -> str:
    if person.preferred_channel in (InviteChannel.POST, InviteChannel.PHONE):
        return person.preferred_channel
    return InviteChannel.EMAIL


@coordinator_required
def invite_sent(request: HttpRequest, pk: int) -> HttpResponse:
    """The call script or letter notice with the code, shown once after a letter or call invite."""
    person = _person_for_coordinator(pk)
    held = request.session.pop(SESSION_CODE, None)
    invite = person.invites.order_by("-created_at").first()
    code = held["code"] if held and held.get("person") == person.pk else None
    if invite is None or code is None or not invite.is_open:
        messages.info(request, _("The code is only shown once. Send a new invitation if needed."))
        return redirect(person)
    return render(
        request,
        "accounts/invite_sent.html",
        {
            "p": person,
            "invite": invite,
            "code": services.format_code(code),
            "entry_url": services.entry_url(),
            "network_name": network().name,
        },
    )


@coordinator_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_coordinator(pk)
    if services.withdraw_invites(person, request.user):
        messages.success(request, _("The invitation no longer works."))
    return redirect(person)


@coordinator_required
@require_POST
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_coordinator(pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role."))
        return redirect(person)
    try:
        changed = services.set_role(person, Role(form.cleaned_data["role"]), request.user)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        if changed:
            messages.success(
                request,
                _("%(name)s is now a %(role)s.")
                % {"name": person.full_name, "role": Role(form.cleaned_data["role"]).name.lower()},
            )
        else:
            messages.info(request, _("Nothing changed."))
    return redirect(person)


@coordinator_required
@require_POST
def change_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for_coordinator(pk)
    form = ActiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(person)
    active = form.cleaned_data["active"]
    try:
        services.set_active(person, active, request.user)
    except services.AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            (_("%(name)s can log in again.") if active else _("%(name)s can no longer log in."))
            % {"name": person.full_name},
        )
    return redirect(person)


@coordinator_required
def logins(request: HttpRequest) -> HttpResponse:
    """Everyone who can log in (or could), with their role: who coordinates, who is switched off."""
    people = (
        Person.objects.filter(user__isnull=False)
        .select_related("user", "organisation")
        .prefetch_related("user__groups")
        .order_by("last_name", "first_name")
    )
    q = request.GET.get("q", "").strip()
    if q:
        people = people.filter(person_matches(q) | Q(user__username__icontains=q))
    role = request.GET.get("role", "")
    if role == "coordinator":
        people = people.filter(
            Q(user__is_superuser=True) | Q(user__groups__name=Role.COORDINATOR.group_name)
        ).distinct()
    elif role == "facilitator":
        people = people.filter(user__groups__name=Role.FACILITATOR.group_name).exclude(
            user__groups__name=Role.COORDINATOR.group_name
        )
    status = request.GET.get("status", "")
    if status in ("active", "deactivated"):
        people = people.filter(user__is_active=status == "active")
    page_obj = paginate(request, people)
    rows = [
        (
            p,
            Role.COORDINATOR if p.user.is_superuser else services.role_in_groups(p.user),
        )
        for p in page_obj
    ]
    return render(
        request,
        "accounts/logins.html",
        {
            "page_obj": page_obj,
            "rows": rows,
            "q": q,
            "role": role,
            "status": status,
            "invited": Person.objects.filter(
                user__isnull=True,
                invites__used_at__isnull=True,
                invites__revoked_at__isnull=True,
                invites__expires_at__gt=timezone.now(),
            )
            .distinct()
            .count(),
        },
    )


# --- accepting an invitation (the person) --------------------------------------------------


def redeem(request: HttpRequest) -> HttpResponse:
    """Type the code from a letter or a call."""
    form = RedeemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="invite_code"):
            form.add_error("code", _("Too many tries. Please wait a minute and try again."))
        else:
            found = services.find_invite(form.cleaned_data["code"])
            if found is None or not found.is_open:
                form.add_error(
                    "code",
                    _(
                        "That code is not right, or has expired. Check it, or ask the network for a new one."
                    ),
                )
            else:
                return redirect(
                    "accounts:accept", code=services.normalise_code(form.cleaned_data["code"])
                )
    return render(request, "accounts/redeem.html", {"form": form})


def accept(request: HttpRequest, code: str) -> HttpResponse:
    found = services.find_invite(code)
    if found is None or not found.is_open:
        # Guessing links is rate-limited like typing codes. allauth's public consume()
        # lets every GET through, so a link opened over and over was never counted.
        if not internal_ratelimit.consume(
            request, app="allauth.account", action="invite_code", limit_get=True
        ):
            return render(request, "accounts/invite_invalid.html", {"too_many": True}, status=429)
        return render(request, "accounts/invite_invalid.html", status=404)
    if request.user.is_authenticated:
        return render(request, "accounts/invite_invalid.html", {"logged_in": True}, status=409)
    person = found.person
    resetting = person.user_id is not None
    form = AcceptForm(
        request.POST or None,
        person=person,
        initial={} if resetting else {"username": services.suggest_username(person)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invite(
                found,
                username=form.cleaned_data.get("username", ""),
                password=form.cleaned_data.get("password1") or None,
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome, %(name)s. Your login is ready: please check your details.")
                % {"name": person.first_name}
                if not resetting
                else _("Your new password is set, %(name)s.") % {"name": person.first_name},
            )
            return redirect("members:me")
    return render(
        request,
        "accounts/accept.html",
        {"form": form, "p": person, "invite": found, "resetting": resetting},
    )


# --- requests to join ----------------------------------------------------------------------


def join(request: HttpRequest) -> HttpResponse:
    if not settings.CAIRN_SIGNUP:
        raise Http404
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("website"):
            # A bot filled the hidden field: thank it and keep nothing.
            return redirect("join_thanks")
        if not ratelimit.consume(request, action="join_request"):
            form.add_error(None, _("Too many requests from here. Please try again later."))
        else:
            try:
                services.request_to_join(form.cleaned_data)
            except services.AccountError as error:
                form.add_error(None, str(error))
            else:
                return redirect("join_thanks")
    return render(request, "accounts/join.html", {"form": form})


def join_thanks(request: HttpRequest) -> HttpResponse:
    if not settings.CAIRN_SIGNUP:
        raise Http404
    return render(request, "accounts/join_thanks.html")


@coordinator_required
def join_requests(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", JoinStatus.PENDING)
    if status not in JoinStatus.values:
        status = JoinStatus.PENDING
    qs = JoinRequest.objects.filter(status=status)
    return render(
        request,
        "accounts/join_requests.html",
        {
            "page_obj": paginate(request, qs),
            "status": status,
            "statuses": JoinStatus.choices,
            "signup_open": settings.CAIRN_SIGNUP,
        },
    )


@coordinator_required
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    join_req = get_object_or_404(JoinRequest, pk=pk)
    if request.method == "POST":
        form = JoinDecisionForm(request.POST)
        action = form.cleaned_data["action"] if form.is_valid() else ""
        if not action:
            messages.error(request, first_error(form))
        try:
            if action == "approve":
                person = services.approve_join_request(join_req, request.user)
                messages.success(
                    request,
                    _("%(name)s is now on file and was invited to log in.")
                    % {"name": person.full_name}
                    if person.invites.exists()
                    else _("%(name)s is now on file.") % {"name": person.full_name},
                )
                return redirect(person)
            if action == "decline" and not form.cleaned_data["confirm"]:
                return _join_request_page(request, join_req, confirm_decline=True)
            if action == "decline":
                services.decline_join_request(join_req, request.user)
                messages.success(request, _("Request declined; the contact details were not kept."))
                return redirect("accounts:join_requests")
        except services.AccountError as error:
            messages.error(request, str(error))
        return redirect(join_req)
    return _join_request_page(request, join_req)


def _join_request_page(
    request: HttpRequest, join_req: JoinRequest, *, confirm_decline: bool = False
) -> HttpResponse:
    return render(
        request,
        "accounts/join_request.html",
        {
            "j": join_req,
            "existing": services.matching_person(join_req)
            if join_req.status == JoinStatus.PENDING
            else None,
            "back": reverse("accounts:join_requests"),
            "confirm_decline": confirm_decline,
        },
    )
