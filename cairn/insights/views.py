from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cairn.contributions.wording import channel_phrase, labelled_counts, sector_phrase
from cairn.core.roles import coordinator_required, facilitator_required, is_coordinator
from cairn.events.models import Event
from cairn.insights import services
from cairn.insights.forms import (
    MergeThemeForm,
    RenameThemeForm,
    StartSynthesisForm,
    StatementsForm,
)
from cairn.insights.models import RunMode, SynthesisRun, Theme
from cairn.insights.scopes import parse_scope, scope_sources
from cairn.insights.selectors import quotes_for, statements_for
from cairn.lib.forms import first_error
from cairn.lib.paging import paginate
from cairn.lib.safety import id_param, safe_next


@facilitator_required
def synthesis_list(request: HttpRequest) -> HttpResponse:
    runs = SynthesisRun.objects.select_related("event")
    return render(
        request,
        "insights/list.html",
        {
            "page_obj": paginate(request, runs),
            "events": Event.objects.filter(contributions__isnull=False).distinct(),
            "scope_groups": [(s.prefix, s.label, s.choices()) for s in scope_sources()],
            "modes": RunMode.choices,
        },
    )


@coordinator_required
@require_POST
def synthesis_start(request: HttpRequest) -> HttpResponse:
    form = StartSynthesisForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect("insights:list")
    scope = form.cleaned_data["scope"]
    event_pk = id_param(scope.removeprefix("e"))
    event = Event.objects.filter(pk=event_pk).first() if event_pk else None
    # Another app's scope (a consultation): it says what to read and what it is called.
    other = parse_scope(scope) if event is None else None
    title = other[0].title(other[1]) if other else None
    if event is None and title is None:
        messages.error(request, _("Choose an event or a consultation to synthesise."))
        return redirect("insights:list")
    try:
        run = services.start_synthesis(
            request.user,
            event=event,
            scope=scope if other else "",
            contribution_ids=other[0].contribution_ids(other[1]) if other else None,
            title=title or "",
            mode=form.cleaned_data["mode"],
        )
    except services.InsightsError as exc:
        messages.error(request, str(exc))
        return redirect("insights:list")
    return redirect(run)


def _stance_labels() -> dict[str, str]:
    """A statement's stance as a word for the reader, not the library's code."""
    return {
        "positive": _("Positive"),
        "challenge": _("Challenge"),
        "idea": _("Idea"),
        "question": _("Question"),
        "other": _("Other"),
    }


def _stance_text(stances: dict[str, int]) -> str:
    """ "5 positive, 2 challenges, 1 idea": how a theme's statements lean."""
    words = {
        "positive": lambda n: ngettext("%(n)s positive", "%(n)s positive", n),
        "challenge": lambda n: ngettext("%(n)s challenge", "%(n)s challenges", n),
        "idea": lambda n: ngettext("%(n)s idea", "%(n)s ideas", n),
        "question": lambda n: ngettext("%(n)s question", "%(n)s questions", n),
        "other": lambda n: ngettext("%(n)s other", "%(n)s other", n),
    }
    ordered = sorted(stances.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(words[k](n) % {"n": n} for k, n in ordered if n and k in words)


def _set_aside(run: SynthesisRun, user) -> list[tuple[str, int]]:
    """Lines the synthesis set aside rather than force into a theme, by reason: those
    still in no theme (a coordinator may have moved some into one) that the reader may see."""
    names = {
        "nothing": _("Nothing to add or improve"),
        "greeting": _("Greetings"),
        "thanks": _("Thanks"),
        "logistics": _("Meeting logistics"),
        "junk": _("Unreadable or empty"),
    }
    stats = run.stats or {}
    counts = stats.get("set_aside") or {}
    if stats.get("set_aside_on_rows"):
        rows = (
            statements_for(run.pk, None, user)
            .exclude(set_aside="")
            .values_list("set_aside")
            .annotate(n=Count("id"))
        )
        found = dict(rows)
        counts = {k: found.pop(k, 0) for k in counts} | found
    return [(names.get(k, k), n) for k, n in counts.items() if n]


def _outside_themes(run: SynthesisRun, user) -> dict:
    """The statements in no theme, told apart: those set aside as saying nothing about the
    subject ("Thanks", "Nothing to add") and the rest, which fit none of the themes.

    Set-aside statements are in no theme too, so counting both groups on their own would
    count them twice.
    """
    unassigned = statements_for(run.pk, None, user).count()
    set_aside = _set_aside(run, user)
    aside = min(unassigned, sum(n for _name, n in set_aside))
    return {
        "unassigned": unassigned,
        "set_aside": set_aside,
        "set_aside_total": aside,
        "fit_none": unassigned - aside,
    }


def _headline_for(theme: Theme, user) -> str:
    """The theme's headline, when the reader may see the statement it was cut from.

    The headline is a statement's own words, so it follows the statements' rule.
    """
    if not theme.headline or not theme.summary:
        return ""
    # The store puts the headline's statement id first in the summary.
    readable = statements_for(theme.run_id, theme, user).filter(statement_id=theme.summary[0])
    return theme.headline if readable.exists() else ""


def _theme_view(theme: Theme, user) -> dict:
    counts = theme.counts or {}
    side = counts.get("side")
    return {
        "theme": theme,
        # "Positive side" alone left readers asking: of what? The library splits a topic
        # argued both ways into one theme per side.
        "side": {
            "positive": _("The positive side of a topic argued both ways"),
            "challenge": _("The challenging side of a topic argued both ways"),
        }.get(side, ""),
        "stance_text": _stance_text(theme.stances or {}),
        "quotes": quotes_for(theme, user),
        "headline": _headline_for(theme, user),
        "by_channel": labelled_counts(counts.get("channel", {}), "channel"),
        "channel_text": channel_phrase(counts.get("channel", {})),
        "sector_text": sector_phrase(counts.get("sector", {})),
        "by_sector": labelled_counts(counts.get("sector", {}), "sector"),
        "contributions": counts.get("contributions", 0),
    }


@facilitator_required
def synthesis_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(SynthesisRun.objects.select_related("event"), pk=pk)
    themes = list(run.themes.all())
    return render(
        request,
        "insights/detail.html",
        {
            "run": run,
            "themes": [_theme_view(t, request.user) for t in themes],
            "all_themes": themes,
            **_outside_themes(run, request.user),
            "edits": run.edits.select_related("actor").order_by("-created_at")[:20],
            "can_edit": is_coordinator(request.user),
        },
    )


@facilitator_required
def synthesis_status(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(SynthesisRun, pk=pk)
    return JsonResponse(
        {
            "status": run.status,
            "label": str(run.get_status_display()),
            "active": run.is_active,
            "progress": run.progress,
            "percent": run.progress,
            "stage": run.stage,
            "error": run.error,
        }
    )


@facilitator_required
def theme_detail(request: HttpRequest, pk: int, theme_pk: int | None = None) -> HttpResponse:
    run = get_object_or_404(SynthesisRun, pk=pk)
    theme = get_object_or_404(Theme, pk=theme_pk, run=run) if theme_pk else None
    page_obj = paginate(
        request, statements_for(run.pk, theme, request.user).order_by("-confidence", "id")
    )
    labels = _stance_labels()
    for a in page_obj:
        a.stance_label = labels.get(a.stance, a.stance)
    return render(
        request,
        "insights/theme.html",
        {
            "run": run,
            "theme": theme,
            "view": _theme_view(theme, request.user) if theme else None,
            "page_obj": page_obj,
            "other_themes": run.themes.exclude(pk=theme.pk if theme else 0),
            # While a re-run waits or runs, the service refuses edits: offer none.
            "can_edit": is_coordinator(request.user) and not run.is_active,
        },
    )


@coordinator_required
@require_POST
def synthesis_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(SynthesisRun, pk=pk)
    try:
        services.rerun_synthesis(run, request.user)
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    return redirect(run)


@coordinator_required
@require_POST
def theme_rename(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=theme_pk, run_id=pk)
    form = RenameThemeForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(safe_next(request, theme.run.get_absolute_url()))
    try:
        services.rename_theme(theme, form.cleaned_data["label"], request.user)
        messages.success(request, _("Theme renamed."))
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    return redirect(safe_next(request, theme.run.get_absolute_url()))


@coordinator_required
@require_POST
def theme_merge(request: HttpRequest, pk: int, theme_pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=theme_pk, run_id=pk)
    form = MergeThemeForm(request.POST, run=theme.run)
    if not form.is_valid():
        messages.error(request, first_error(form))
    else:
        try:
            services.merge_themes(theme, form.cleaned_data["other"], request.user)
            messages.success(request, _("Themes merged."))
        except services.InsightsError as exc:
            messages.error(request, str(exc))
    return redirect(theme.run)


@coordinator_required
@require_POST
def theme_statements(request: HttpRequest, pk: int, theme_pk: int | None = None) -> HttpResponse:
    """Move ticked statements to another theme, or split them into a new one."""
    run = get_object_or_404(SynthesisRun, pk=pk)
    theme = get_object_or_404(Theme, pk=theme_pk, run=run) if theme_pk else None
    back = theme.get_absolute_url() if theme else run.get_absolute_url() + "unassigned/"
    form = StatementsForm(request.POST, run=run)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(back)
    ids = form.cleaned_data["statement"]
    try:
        if form.cleaned_data["action"] == "split":
            if theme is None:
                raise services.InsightsError(_("Statements with no theme can be moved, not split."))
            new = services.split_theme(theme, ids, form.cleaned_data["label"], request.user)
            messages.success(request, _("New theme “%(label)s” created.") % {"label": new.label})
        else:
            moved = services.move_statements(run, ids, form.cleaned_data["to_theme"], request.user)
            messages.success(
                request,
                ngettext("%(n)s statement moved.", "%(n)s statements moved.", moved) % {"n": moved},
            )
    except services.InsightsError as exc:
        messages.error(request, str(exc))
    return redirect(back)
