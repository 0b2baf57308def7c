"""Demo: the seed event's report, from its synthesis, approved and published, so a visitor
to the demo's front door reads what Cairn makes; a coordinator takes it down to edit it
again, or drafts a briefing."""

from cairn.insights.services import latest_run_for_event
from cairn.reports.services import approve, generate_event_report, publish, set_next_steps


def load(network) -> None:
    event = network.seed_event
    if event is None:
        return
    coordinator = network.users.get("coordinator")
    report = generate_event_report(event, coordinator, latest_run_for_event(event))
    report = set_next_steps(
        report,
        coordinator,
        "Set up a members' working group on reaching people who are not online\n"
        "Share the key lessons with funders, policy and decision makers by the spring",
    )
    publish(approve(report, coordinator), coordinator)
