"""What an event's page links to in reports (cairn.events.page_links): coordinators see
every report about the event, or a button to draft one once people have said something;
everyone else sees the published ones."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from cairn.core.roles import Role, role_of
from cairn.events.models import Event
from cairn.events.page_links import EventLink, register_links
from cairn.reports.models import ReportKind
from cairn.reports.selectors import published_reports_for_event, reports_for_event


@register_links
def report_links(event: Event, user: Any) -> list[EventLink]:
    if role_of(user) == Role.COORDINATOR:
        reports = list(reports_for_event(event))
        links = [
            EventLink(
                label=report.title,
                url=report.get_absolute_url(),
                note=f"{report.get_kind_display()}, {report.get_status_display().lower()}",
            )
            for report in reports
        ]
        has_own = any(r.kind == ReportKind.EVENT for r in reports)
        if not has_own and event.has_ended and event.contributions.exists():
            links.append(
                EventLink(
                    label=_("Draft the event report"),
                    url=reverse("reports:generate"),
                    post={"event": event.pk},
                )
            )
        return links
    return [
        EventLink(
            label=report.title,
            url=report.get_public_url(),
            note=str(report.get_kind_display()),
        )
        for report in published_reports_for_event(event)
    ]
