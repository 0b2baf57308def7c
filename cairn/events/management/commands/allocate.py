from django.core.management.base import BaseCommand, CommandError

from cairn.events.models import Event
from cairn.events.services.breakouts import BreakoutError, allocate_event, group_name


class Command(BaseCommand):
    help = "Allocate an event's registered people into breakout groups and print the quality."

    def add_arguments(self, parser):
        parser.add_argument("event_id", type=int)
        parser.add_argument(
            "--dry-run", action="store_true", help="show the result without saving groups"
        )
        parser.add_argument(
            "--start-over",
            action="store_true",
            help="allocate everyone afresh, undoing the moves made by hand (kept otherwise)",
        )

    def handle(self, *args, event_id: int, dry_run: bool, start_over: bool, **options):
        event = Event.objects.filter(pk=event_id).first()
        if event is None:
            raise CommandError(f"No event with id {event_id}.")
        try:
            result = allocate_event(event.pk, actor=None, dry_run=dry_run, start_over=start_over)
        except BreakoutError as exc:
            raise CommandError(str(exc)) from exc
        q = result.quality
        themes = {t.pk: t for t in event.breakout_themes.all()}
        verb = "would allocate" if dry_run else "allocated"
        self.stdout.write(f"{event.title}: {verb} {q.participants} people into {q.groups} groups")
        if result.kept_by_hand:
            self.stdout.write(f"  kept where moved by hand:      {result.kept_by_hand}")
        self.stdout.write(f"  first choice:                  {q.first_choice_share:.1%}")
        self.stdout.write(f"  first or second choice:        {q.top_two_share:.1%}")
        self.stdout.write(
            f"  sectors per group (mean/min):  {q.mean_distinct_sectors:.2f} / {q.min_distinct_sectors}"
        )
        self.stdout.write(f"  largest single-sector share:   {q.max_sector_share:.1%}")
        self.stdout.write(f"  groups without a facilitator:  {q.groups_without_facilitator}")
        self.stdout.write(f"  groups outside size bounds:    {q.groups_outside_bounds}")
        if result.relaxed:
            self.stdout.write(f"  rules relaxed to find groups:  {', '.join(result.relaxed)}")
        if options["verbosity"] > 1:
            for g in result.groups:
                self.stdout.write(
                    f"  {group_name(themes[g.theme_id], g.number)}: {len(g.member_ids)}"
                )
