"""Every URL declares who may use it, and every role is tried on every URL.

The list of URLs comes from Django's resolver, so a new URL without a rule in
RULES fails `test_every_url_declares_who_may_use_it` with the line to add.

Adding a rule: `"app:name": Rule(WHO)` where WHO is one of the sets below
(or your own frozenset of roles). The page is then fetched with GET as each
role, using real objects of the demo network for its arguments (see ARGS:
a URL argument named like an existing one needs nothing more). A role outside
WHO must be refused: anonymous visitors are sent to log in (or refused), the
others get 403 or 404. A role inside WHO must not be refused.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cairn.contributions.models import Contribution
from cairn.events.links import own_token
from cairn.lib.storage import as_upload

# The five roles every URL is tried with.
ANON = "anonymous"
MEMBER = "member"  # registered for the event, in the breakout group, author of the contribution
OTHER_MEMBER = "another member"  # a member with no part in any of it
OTHER_FACILITATOR = "facilitator of another group"  # leads another group of the same event
COORDINATOR = "coordinator"
ROLES = (ANON, MEMBER, OTHER_MEMBER, OTHER_FACILITATOR, COORDINATOR)

EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset({MEMBER, OTHER_MEMBER, OTHER_FACILITATOR, COORDINATOR})
FACILITATORS = frozenset({OTHER_FACILITATOR, COORDINATOR})
COORDINATORS = frozenset({COORDINATOR})
# Those with a part in the group/event/contribution, and coordinators.
ITS_MEMBER = frozenset({MEMBER, COORDINATOR})
ITS_EVENT = frozenset({MEMBER, OTHER_FACILITATOR, COORDINATOR})


@dataclass(frozen=True)
class Rule:
    allow: frozenset[str]
    # Arguments of the URL by name, when the defaults in ARGS do not fit.
    args: Callable[[Any], dict[str, Any]] | None = None
    # False where even an allowed role is refused some pages (the admin's read-only models).
    check_allowed: bool = True
    notes: str = field(default="")


# URL name -> who may use it. Admin pages are covered by the "admin:" prefix rule.
RULES: dict[str, Rule] = {
    "home": Rule(EVERYONE),
    "network_settings": Rule(COORDINATORS),
    "login": Rule(EVERYONE),
    "logout": Rule(EVERYONE),
    # members
    "members:organisations": Rule(SIGNED_IN),
    "members:organisation_add": Rule(COORDINATORS),
    "members:organisation": Rule(SIGNED_IN),
    "members:organisation_archive": Rule(COORDINATORS),
    "members:organisation_edit": Rule(COORDINATORS),
    "members:people": Rule(COORDINATORS),
    "members:person_add": Rule(COORDINATORS),
    "members:import": Rule(COORDINATORS),
    "members:import_preview": Rule(COORDINATORS),
    "members:audit": Rule(COORDINATORS),
    "members:person": Rule(COORDINATORS),
    "members:person_edit": Rule(COORDINATORS),
    "members:person_consent": Rule(COORDINATORS),
    "members:person_archive": Rule(COORDINATORS),
    "members:person_merge": Rule(COORDINATORS),
    "members:person_erase": Rule(COORDINATORS),
    "members:person_export": Rule(COORDINATORS),
    "members:directory_people": Rule(SIGNED_IN),
    "members:me": Rule(SIGNED_IN),
    # events
    "events:list": Rule(SIGNED_IN),
    "events:create": Rule(COORDINATORS),
    "events:detail": Rule(SIGNED_IN),
    "events:edit": Rule(COORDINATORS),
    "events:cancel": Rule(COORDINATORS),
    "events:register": Rule(SIGNED_IN),
    "events:calendar": Rule(ITS_MEMBER, notes="only people with a place (and coordinators)"),
    "events:cancel_mine": Rule(frozenset({MEMBER}), notes="only one's own registration"),
    "events:registrations": Rule(COORDINATORS),
    "events:register_on_behalf": Rule(COORDINATORS),
    "events:cancel_registration": Rule(COORDINATORS),
    "events:set_role": Rule(COORDINATORS),
    "events:attendance": Rule(COORDINATORS),
    "events:check_in": Rule(COORDINATORS),
    "events:breakouts": Rule(COORDINATORS),
    "events:export_csv": Rule(COORDINATORS),
    "events:print_groups": Rule(FACILITATORS),
    "events:group": Rule(ITS_MEMBER),
    "events:group_notes": Rule(ITS_MEMBER),
    "events:import_chat": Rule(COORDINATORS),
    "events:import_chat_result": Rule(
        COORDINATORS,
        args=lambda w: {"pk": w["event"].pk, "import_id": w["chat_import"].pk},
    ),
    "events:import_checked": Rule(
        COORDINATORS,
        args=lambda w: {"pk": w["event"].pk, "import_id": w["chat_import"].pk},
    ),
    "events:feedback": Rule(SIGNED_IN),
    "events:feedback_enter": Rule(COORDINATORS),
    # contributions
    "contributions:list": Rule(FACILITATORS),
    "contributions:detail": Rule(ITS_EVENT),
    # outreach
    "outreach:index": Rule(COORDINATORS),
    "outreach:compose": Rule(COORDINATORS),
    "outreach:message": Rule(COORDINATORS),
    "outreach:letters": Rule(COORDINATORS),
    "outreach:batch": Rule(COORDINATORS),
    "outreach:batch_pdf": Rule(COORDINATORS),
    "outreach:batch_labels": Rule(COORDINATORS),
    "outreach:calls": Rule(FACILITATORS),
    "outreach:call": Rule(COORDINATORS),
    "outreach:not_reached": Rule(COORDINATORS),
    "outreach:delivery": Rule(COORDINATORS),
    "outreach:delivery_action": Rule(COORDINATORS),
    "outreach:retry_failed": Rule(COORDINATORS),
    "outreach:unsubscribe": Rule(EVERYONE, notes="the signed token is the permission"),
    "outreach:inbox": Rule(SIGNED_IN, notes="each person's own web messages"),
    # consultations
    "consultations:list": Rule(EVERYONE, notes="open consultations are public"),
    "consultations:create": Rule(COORDINATORS),
    "consultations:detail": Rule(FACILITATORS),
    "consultations:edit": Rule(COORDINATORS),
    "consultations:status": Rule(COORDINATORS),
    "consultations:question_move": Rule(COORDINATORS),
    "consultations:question_remove": Rule(COORDINATORS),
    "consultations:answer_start": Rule(EVERYONE),
    "consultations:answer": Rule(EVERYONE, notes="the response token is the permission"),
    "consultations:script": Rule(FACILITATORS),
    "consultations:enter": Rule(FACILITATORS),
    "consultations:paper_forms": Rule(COORDINATORS),
    "consultations:paper_forms_send": Rule(COORDINATORS),
    "consultations:results": Rule(FACILITATORS),
    "consultations:synthesise": Rule(COORDINATORS),
    "consultations:synthesise_all": Rule(COORDINATORS),
    "consultations:results_pdf": Rule(FACILITATORS),
    "consultations:results_csv": Rule(FACILITATORS),
    "consultations:import": Rule(COORDINATORS),
    "consultations:import_result": Rule(
        COORDINATORS,
        args=lambda w: {"pk": w["consultation"].pk, "import_id": w["response_import"].pk},
    ),
    # exchange and conversations
    "exchange:list": Rule(SIGNED_IN),
    "exchange:create": Rule(SIGNED_IN),
    "exchange:guide": Rule(EVERYONE, notes="moved to the public front door"),
    "exchange:detail": Rule(SIGNED_IN),
    "exchange:close": Rule(COORDINATORS),
    "conversations:list": Rule(SIGNED_IN),
    "conversations:create": Rule(SIGNED_IN),
    "conversations:detail": Rule(SIGNED_IN),
    "conversations:follow": Rule(SIGNED_IN),
    "conversations:held": Rule(COORDINATORS),
    "conversations:held_decide": Rule(COORDINATORS, args=lambda w: {"pk": w["held"].pk}),
    # reports
    "reports:list": Rule(COORDINATORS),
    "reports:generate": Rule(COORDINATORS),
    "reports:briefing": Rule(COORDINATORS),
    "reports:detail": Rule(COORDINATORS),
    "reports:history": Rule(COORDINATORS),
    "reports:next_steps": Rule(COORDINATORS),
    "reports:approve": Rule(COORDINATORS),
    "reports:publish": Rule(COORDINATORS),
    "reports:unpublish": Rule(COORDINATORS),
    "reports:send": Rule(COORDINATORS),
    "reports:download": Rule(COORDINATORS),
    "reports:file": Rule(COORDINATORS, args=lambda w: {"pk": w["report"].pk, "fmt": "pdf"}),
    "reports:section_edit": Rule(COORDINATORS),
    "reports:section_move": Rule(COORDINATORS),
    "reports:section_hide": Rule(COORDINATORS),
    "reports:section_regenerate": Rule(COORDINATORS),
    "reports:section_rename": Rule(COORDINATORS),
    "reports:quote_hide": Rule(COORDINATORS),
    "reports:published": Rule(EVERYONE),
    "reports:public": Rule(EVERYONE),
    "reports:public_download": Rule(EVERYONE),
    # insights
    "insights:list": Rule(FACILITATORS),
    "insights:start": Rule(COORDINATORS),
    "insights:detail": Rule(FACILITATORS),
    "insights:status": Rule(FACILITATORS),
    "insights:rerun": Rule(COORDINATORS),
    "insights:unassigned": Rule(FACILITATORS),
    "insights:unassigned_statements": Rule(COORDINATORS),
    "insights:theme": Rule(FACILITATORS),
    "insights:rename": Rule(COORDINATORS),
    "insights:merge": Rule(COORDINATORS),
    "insights:statements": Rule(COORDINATORS),
    # accounts (ours) and django-allauth's pages
    "old_password_reset": Rule(EVERYONE, notes="redirects to allauth's reset page"),
    "accounts:delete_me": Rule(SIGNED_IN, notes="their own account only"),
    "accounts:redeem": Rule(EVERYONE),
    "accounts:accept": Rule(EVERYONE, notes="the invitation code is the permission"),
    "accounts:invite": Rule(COORDINATORS),
    "accounts:invite_sent": Rule(COORDINATORS),
    "accounts:withdraw": Rule(COORDINATORS),
    "accounts:role": Rule(COORDINATORS),
    "accounts:active": Rule(COORDINATORS),
    "accounts:logins": Rule(COORDINATORS),
    "accounts:join_requests": Rule(COORDINATORS),
    "accounts:join_request": Rule(COORDINATORS),
    "account_login": Rule(EVERYONE),
    "account_logout": Rule(EVERYONE),
    "account_inactive": Rule(EVERYONE),
    "account_signup": Rule(EVERYONE),
    "account_reauthenticate": Rule(SIGNED_IN),
    "account_request_reauthentication_code": Rule(SIGNED_IN),
    "account_confirm_reauthentication_code": Rule(SIGNED_IN),
    "account_email": Rule(SIGNED_IN),
    "account_email_verification_sent": Rule(EVERYONE),
    "account_change_password": Rule(SIGNED_IN),
    "account_set_password": Rule(SIGNED_IN),
    "account_reset_password": Rule(EVERYONE),
    "account_confirm_login_code": Rule(
        EVERYONE, check_allowed=False, notes="without a code on its way, back to log in"
    ),
    "account_confirm_email": Rule(EVERYONE, notes="the emailed key is the permission"),
    "account_reset_password_from_key_done": Rule(EVERYONE),
    "account_reset_password_from_key": Rule(EVERYONE, notes="the emailed key is the permission"),
    "account_reset_password_done": Rule(EVERYONE),
    "account_request_login_code": Rule(EVERYONE),
    "join": Rule(EVERYONE),
    "join_thanks": Rule(EVERYONE),
    # the public front door and the health checks
    "health": Rule(EVERYONE, notes="for the load balancer; says nothing private"),
    "health_web": Rule(EVERYONE),
    "public:events": Rule(EVERYONE),
    "public:event": Rule(EVERYONE),
    "public:registered": Rule(EVERYONE),
    "public:my_registration": Rule(
        EVERYONE, notes="the signed link in the notices is the permission"
    ),
    "public:start_here": Rule(EVERYONE),
    "public:directory": Rule(EVERYONE),
    # background jobs and the demo's caught mail
    "jobs:list": Rule(COORDINATORS),
    "jobs:detail": Rule(COORDINATORS),
    "jobs:status": Rule(COORDINATORS),
    "jobs:rerun": Rule(COORDINATORS),
    "sentmail:list": Rule(COORDINATORS),
    "sentmail:detail": Rule(COORDINATORS),
}

# Whole namespaces with one rule: the Django admin is for coordinators.
PREFIX_RULES: dict[str, Rule] = {
    "admin:login": Rule(EVERYONE),
    "admin:logout": Rule(EVERYONE),
    "admin:": Rule(COORDINATORS, check_allowed=False),
}


def rule_for(name: str) -> Rule | None:
    if name in RULES:
        return RULES[name]
    for prefix, rule in PREFIX_RULES.items():
        if name.startswith(prefix):
            return rule
    return None


def _arg_names(pattern: Any) -> list[str]:
    return list(pattern.regex.groupindex)


def all_url_names() -> dict[str, str]:
    """Every named URL pattern -> its route, straight from the resolver."""
    return {name: route for name, (route, _args) in _all_urls().items()}


def _all_urls() -> dict[str, tuple[str, list[str]]]:
    found: dict[str, tuple[str, list[str]]] = {}

    def walk(patterns: list, route: str, args: list[str], namespace: str | None) -> None:
        for p in patterns:
            here = args + _arg_names(p.pattern)
            if isinstance(p, URLResolver):
                inner = p.namespace
                ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
                walk(p.url_patterns, route + str(p.pattern), here, ns)
            elif isinstance(p, URLPattern) and p.name:
                name = f"{namespace}:{p.name}" if namespace else p.name
                found.setdefault(name, (route + str(p.pattern), here))

    walk(get_resolver().url_patterns, "/", [], None)
    return found


def test_every_url_declares_who_may_use_it():
    missing = {n: r for n, r in all_url_names().items() if rule_for(n) is None}
    lines = [f'    "{name}": Rule(COORDINATORS),  # {route}' for name, route in missing.items()]
    assert not missing, (
        "These URLs do not say who may use them. Add a line for each to RULES in "
        "tests/test_permissions.py, choosing EVERYONE, SIGNED_IN, FACILITATORS, "
        "COORDINATORS, ITS_MEMBER or ITS_EVENT (and args=... if its arguments are new):\n"
        + "\n".join(lines)
    )


def test_no_rule_is_left_for_a_url_that_is_gone():
    names = set(all_url_names())
    stale = sorted(set(RULES) - names)
    assert not stale, f"Remove these from RULES in tests/test_permissions.py: {stale}"


# --- the objects the URLs are tried with ---


@pytest.fixture
def world(demo):
    """Real objects for every URL argument, and one user per role."""
    from cairn.accounts.models import JoinRequest
    from cairn.accounts.services import create_invite
    from cairn.consultations.models import Consultation, Response, ResponseImport
    from cairn.contributions.models import Contribution
    from cairn.contributions.services import record_contribution
    from cairn.conversations.models import HeldReply, Thread
    from cairn.core.roles import Role
    from cairn.events.models import BreakoutGroup, ChatImport, Registration
    from cairn.exchange.models import Listing
    from cairn.insights.models import SynthesisRun
    from cairn.jobs.models import Job
    from cairn.members.models import ImportJob, Person
    from cairn.outreach.models import Delivery, LetterBatch, Message
    from cairn.outreach.services import unsubscribe_token
    from cairn.reports.models import Report, ReportStatus
    from cairn.reports.services import publish
    from cairn.sentmail.models import CaughtEmail
    from tests.conftest import make_user

    users = {
        MEMBER: make_user("mina", Role.MEMBER),
        OTHER_MEMBER: make_user("otto", Role.MEMBER),
        OTHER_FACILITATOR: make_user("fay", Role.FACILITATOR),
        COORDINATOR: make_user("cora", Role.COORDINATOR),
    }
    users[COORDINATOR].is_staff = users[COORDINATOR].is_superuser = True  # the admin is theirs
    users[COORDINATOR].save()
    groups = list(BreakoutGroup.objects.filter(event=demo).order_by("pk"))
    group, led_elsewhere = groups[0], groups[1]
    member = users[MEMBER].person
    registration = Registration.objects.create(event=demo, person=member)
    group.members.add(member)
    led_elsewhere.facilitator = users[OTHER_FACILITATOR].person
    led_elsewhere.save()
    contribution = record_contribution(
        text="The bus stops before the community centre", channel="email", author=member
    )
    Contribution.objects.filter(pk=contribution.pk).update(event=demo)
    invitee = Person.objects.create(first_name="Ivy", last_name="Invited", phone="01632 960123")
    run = SynthesisRun.objects.first()
    report = Report.objects.first()
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    report = publish(report, users[COORDINATOR])
    consultation = Consultation.objects.first()
    w: dict[str, Any] = {
        "users": users,
        "event": demo,
        "group": group,
        "registration": registration,
        "contribution": contribution,
        "organisation": member.organisation
        or Person.objects.exclude(organisation=None).first().organisation,
        "person": Person.objects.exclude(pk=member.pk).first(),
        "import": ImportJob.objects.create(
            filename="people.csv", file=as_upload("people.csv", b"name\nAda\n")
        ),
        "message": Message.objects.first(),
        "batch": LetterBatch.objects.first(),
        "delivery": Delivery.objects.first(),
        "call": Delivery.objects.filter(channel="phone").first(),
        "unsubscribe": unsubscribe_token(member, "event_invitations"),
        "consultation": consultation,
        "question": consultation.questions.first(),
        "response": Response.objects.create(consultation=consultation, channel="web"),
        "chat_import": ChatImport.objects.create(
            event=demo, filename="chat.txt", file=as_upload("chat.txt", b"10:00:00 From A : hi\n")
        ),
        "response_import": ResponseImport.objects.create(
            consultation=consultation,
            filename="answers.csv",
            file=as_upload("answers.csv", b"Q1\nYes\n"),
        ),
        "listing": Listing.objects.first(),
        "thread": Thread.objects.first(),
        "report": report,
        "section": report.sections.first(),
        "quote": report.sections.filter(quotes__isnull=False).first().quotes.first(),
        "run": run,
        "theme": run.themes.first(),
        "job": Job.objects.create(title="Send a report", runner="cairn.jobs.services.queue_depth"),
        "caught": CaughtEmail.objects.create(
            from_email="a@example.org", to="b@example.org", subject="s", body="b", raw=b""
        ),
        "join_request": JoinRequest.objects.create(first_name="Visitor", sector="community"),
        "invite_code": create_invite(invitee, "phone", users[COORDINATOR]).code,
        "held": HeldReply.objects.create(
            thread=Thread.objects.first(), sender="x@example.org", body="Hi", reason="test"
        ),
    }
    return w


# URL argument -> its value, by the URL's namespace ("" for any) and argument name.
ARGS: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
    ("members", "pk"): lambda w: w["person"].pk,
    ("members", "fmt"): lambda w: "json",
    ("events", "pk"): lambda w: w["event"].pk,
    ("events", "rid"): lambda w: w["registration"].pk,
    ("events", "gid"): lambda w: w["group"].pk,
    ("contributions", "pk"): lambda w: w["contribution"].pk,
    ("outreach", "pk"): lambda w: w["delivery"].pk,
    ("outreach", "token"): lambda w: w["unsubscribe"],
    ("public", "token"): lambda w: own_token(w["registration"]),
    ("consultations", "pk"): lambda w: w["consultation"].pk,
    ("consultations", "question_id"): lambda w: w["question"].pk,
    ("consultations", "token"): lambda w: w["response"].token,
    ("exchange", "pk"): lambda w: w["listing"].pk,
    ("conversations", "pk"): lambda w: w["thread"].pk,
    ("reports", "pk"): lambda w: w["report"].pk,
    ("reports", "section_pk"): lambda w: w["section"].pk,
    ("reports", "quote_pk"): lambda w: w["quote"].pk,
    ("reports", "slug"): lambda w: w["report"].slug,
    ("reports", "fmt"): lambda w: "md",
    ("insights", "pk"): lambda w: w["run"].pk,
    ("insights", "theme_pk"): lambda w: w["theme"].pk,
    ("admin", "object_id"): lambda w: str(w["event"].pk),
    ("accounts", "pk"): lambda w: w["person"].pk,
    ("accounts", "code"): lambda w: w["invite_code"],
    ("", "key"): lambda w: "not-a-real-key",
    ("", "uidb36"): lambda w: "1",
    ("jobs", "pk"): lambda w: w["job"].pk,
    ("public", "pk"): lambda w: w["event"].pk,
    ("sentmail", "pk"): lambda w: w["caught"].pk,
}

# A few URLs whose `pk` is not the namespace's usual object.
RULES.update(
    {
        "members:organisation": Rule(SIGNED_IN, args=lambda w: {"pk": w["organisation"].pk}),
        "members:organisation_archive": Rule(
            COORDINATORS, args=lambda w: {"pk": w["organisation"].pk}
        ),
        "members:organisation_edit": Rule(
            COORDINATORS, args=lambda w: {"pk": w["organisation"].pk}
        ),
        "members:import_preview": Rule(COORDINATORS, args=lambda w: {"pk": w["import"].pk}),
        "outreach:message": Rule(COORDINATORS, args=lambda w: {"pk": w["message"].pk}),
        "outreach:batch": Rule(COORDINATORS, args=lambda w: {"pk": w["batch"].pk}),
        "outreach:batch_pdf": Rule(COORDINATORS, args=lambda w: {"pk": w["batch"].pk}),
        "outreach:batch_labels": Rule(COORDINATORS, args=lambda w: {"pk": w["batch"].pk}),
        "outreach:call": Rule(FACILITATORS, args=lambda w: {"pk": w["call"].pk}),
        "accounts:join_request": Rule(COORDINATORS, args=lambda w: {"pk": w["join_request"].pk}),
    }
)


def url_of(name: str, arg_names: list[str], w: dict[str, Any]) -> str | None:
    rule = rule_for(name)
    namespace = name.split(":", 1)[0] if ":" in name else ""
    kwargs: dict[str, Any] = dict(rule.args(w)) if rule and rule.args else {}
    for arg in arg_names:
        if arg in kwargs:
            continue
        make = ARGS.get((namespace, arg)) or ARGS.get(("", arg))
        if make is None:
            return None
        kwargs[arg] = make(w)
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:
        return None


def refused(role: str, response) -> bool:
    from django.conf import settings

    if response.status_code in (403, 404):
        return True
    if response.status_code == 302:
        where = response["Location"]
        return where.startswith(str(settings.LOGIN_URL)) or "/login/" in where
    return False


@pytest.mark.django_db
def test_each_role_reaches_exactly_the_urls_its_rule_allows(client, world, settings):
    from cairn.lib.mailers import CATCHER

    # The pages that exist only with sign-up open and in the demo (mail caught).
    settings.CAIRN_SIGNUP = True
    settings.MAILERS = {"default": {"BACKEND": CATCHER}}

    problems, untried = [], []
    for name, (route, arg_names) in sorted(_all_urls().items()):
        rule = rule_for(name)
        if rule is None:
            continue  # reported by test_every_url_declares_who_may_use_it
        url = url_of(name, arg_names, world)
        if url is None:
            if not name.startswith("admin:"):
                untried.append(f"{name} ({route})")
            continue
        for role in ROLES:
            client.logout()
            if role != ANON:
                client.force_login(world["users"][role])
            response = client.get(url)
            if response.status_code == 405 and role not in rule.allow:
                # A POST-only action: the refusal must hold for the POST too.
                response = client.post(url)
            if response.status_code >= 500:
                problems.append(f"{name} as {role}: {response.status_code}")
            elif role in rule.allow and rule.check_allowed and refused(role, response):
                problems.append(f"{name} as {role}: refused ({response.status_code})")
            elif role not in rule.allow and not refused(role, response):
                problems.append(f"{name} as {role}: allowed ({response.status_code}) {url}")
    assert not untried, (
        "No objects to try these URLs with: give their arguments in ARGS or the "
        f"rule's args= in tests/test_permissions.py: {untried}"
    )
    assert not problems, "\n".join(problems)
    assert settings.LOGIN_URL


# --- exact statuses of the main pages, by the demo's own logins ---


def pages(demo):
    from cairn.accounts.models import JoinRequest
    from cairn.sentmail.models import CaughtEmail

    contribution = Contribution.objects.filter(event=demo).first()
    join_request = JoinRequest.objects.create(first_name="Visitor", sector="community")
    caught = CaughtEmail.objects.create(from_email="a@x", to="b@x", subject="s", body="b", raw=b"")
    person = demo.registrations.first().person
    from cairn.jobs.models import Job

    job = Job.objects.create(title="Send a report", runner="cairn.jobs.services.queue_depth")
    return {
        "home": reverse("home"),
        "network_settings": reverse("network_settings"),
        "events": reverse("events:list"),
        "event": reverse("events:detail", args=[demo.pk]),
        "registrations": reverse("events:registrations", args=[demo.pk]),
        "organisations": reverse("members:organisations"),
        "organisation": person.organisation.get_absolute_url(),
        "people": reverse("members:people"),
        "contributions": reverse("contributions:list"),
        "contribution": contribution.get_absolute_url(),
        "admin": reverse("admin:index"),
        "health_web": reverse("health_web"),
        "jobs": reverse("jobs:list"),
        "job": job.get_absolute_url(),
        "job_status": reverse("jobs:status", args=[job.pk]),
        "invite": reverse("accounts:invite", args=[person.pk]),
        "invite_sent": reverse("accounts:invite_sent", args=[person.pk]),
        "join_requests": reverse("accounts:join_requests"),
        "logins": reverse("accounts:logins"),
        "join_request": join_request.get_absolute_url(),
        "redeem": reverse("accounts:redeem"),
        "join": reverse("join"),
        "join_thanks": reverse("join_thanks"),
        "sent_mail": reverse("sentmail:list"),
        "sent_mail_item": caught.get_absolute_url(),
        "login": reverse("login"),
        "password_reset": reverse("account_reset_password"),
        "login_code": reverse("account_request_login_code"),
        "password_change": reverse("account_change_password"),
        "email_addresses": reverse("account_email"),
        "person_add": reverse("members:person_add"),
        "organisation_add": reverse("members:organisation_add"),
        "person_merge": reverse("members:person_merge", args=[person.pk]),
        "public_event": reverse("public:event", args=[demo.pk]),
        "public_registered": reverse("public:registered", args=[demo.pk]),
        "start_here": reverse("public:start_here"),
        "public_directory": reverse("public:directory"),
        "person_archive": reverse("members:person_archive", args=[person.pk]),
        "organisation_archive": reverse(
            "members:organisation_archive", args=[person.organisation.pk]
        ),
    }


# page -> status by role; 302 means "sent to log in" for anonymous visitors
EXPECTED = {
    "home": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "network_settings": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "events": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "event": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "registrations": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "organisations": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "organisation": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    "people": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "contributions": {"anon": 302, "member": 403, "facilitator": 200, "coordinator": 200},
    "contribution": {"anon": 302, "member": 404, "facilitator": 200, "coordinator": 200},
    "admin": {"anon": 302, "member": 302, "facilitator": 302, "coordinator": 200},
    # For load balancers: no login, nothing personal in the answer.
    "health_web": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "jobs": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "job": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "job_status": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "invite": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    # The code is shown once, right after inviting; otherwise back to the person.
    "invite_sent": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 302},
    "join_requests": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "logins": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "join_request": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "redeem": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "join": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "join_thanks": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "sent_mail": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "sent_mail_item": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    # Logged-in people are sent on from the login and login-code pages.
    "login": {"anon": 200, "member": 302, "facilitator": 302, "coordinator": 302},
    "password_reset": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "login_code": {"anon": 200, "member": 302, "facilitator": 302, "coordinator": 302},
    "password_change": {"anon": 302, "member": 200, "facilitator": 200, "coordinator": 200},
    # The address is managed on My details: allauth's page sends everyone there.
    "email_addresses": {"anon": 302, "member": 302, "facilitator": 302, "coordinator": 302},
    "person_add": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "organisation_add": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    "person_merge": {"anon": 302, "member": 403, "facilitator": 403, "coordinator": 200},
    # the front door: everyone, no login
    "public_event": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "public_registered": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "start_here": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    "public_directory": {"anon": 200, "member": 200, "facilitator": 200, "coordinator": 200},
    # POST only: a GET changes nothing for anyone
    "person_archive": {"anon": 405, "member": 405, "facilitator": 405, "coordinator": 405},
    "organisation_archive": {"anon": 405, "member": 405, "facilitator": 405, "coordinator": 405},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anon", "member", "facilitator", "coordinator"])
def test_each_role_reaches_only_its_pages(client, demo, role, settings):
    from django.contrib.auth.models import User

    from cairn.lib.mailers import CATCHER

    # The pages that exist only with sign-up open and in the demo (mail caught).
    settings.CAIRN_SIGNUP = True
    settings.MAILERS = {"default": {"BACKEND": CATCHER}}

    if role != "anon":
        client.force_login(User.objects.get(username=role))
    for name, url in pages(demo).items():
        response = client.get(url)
        assert response.status_code == EXPECTED[name][role], (name, role, response.status_code)


@pytest.mark.django_db
def test_members_do_not_see_breakout_notes_or_contact_details(client, demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="member"))
    page = client.get(reverse("events:detail", args=[demo.pk])).content.decode()
    assert "Technology" in page
    assert "paperweight" not in page  # a breakout note
    org = demo.registrations.filter(person__preferred_channel="post").first().person
    person_page = client.get(org.get_absolute_url())
    assert person_page.status_code in (200, 404)
    if person_page.status_code == 200:
        assert org.address.splitlines()[0] not in person_page.content.decode()


@pytest.mark.django_db
def test_facilitators_read_notes_of_events_they_facilitate(client, demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="facilitator"))
    page = client.get(reverse("events:detail", args=[demo.pk])).content.decode()
    assert "paperweight" in page


@pytest.mark.django_db
def test_a_facilitator_cannot_read_contributions_of_other_events(client, demo, bob):
    from cairn.contributions.services import record_contribution

    other = record_contribution(text="Said elsewhere", channel="email")
    client.force_login(bob)
    assert client.get(other.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_people_list_shows_contact_details_to_coordinators(client, demo):
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="coordinator"))
    page = client.get(reverse("members:people") + "?q=Millar").content.decode()
    assert "Jean Millar" in page
    assert "Post" in page


@pytest.mark.django_db
def test_members_choose_whether_they_appear_in_the_directory(client, org, charlie):
    from cairn.members.models import Person

    hidden = Person.objects.create(first_name="Hidden", last_name="Person", organisation=org)
    shown = Person.objects.create(
        first_name="Shown", last_name="Person", organisation=org, visible_in_directory=True
    )
    client.force_login(charlie)
    page = client.get(org.get_absolute_url()).content.decode()
    assert shown.full_name in page
    assert hidden.full_name not in page
    assert client.get(hidden.get_absolute_url()).status_code == 404
