"""Demo: a draft report for the seed event, from its synthesis, ready to edit and approve."""

from cairn.insights.services import latest_run_for_event
from cairn.reports.services import generate_event_report


def load(network) -> None:
    event = network.seed_event
    if event is None:
        return
    report = generate_event_report(
        event, network.users.get("coordinator"), latest_run_for_event(event)
    )
    report.next_steps = (
        "Set up a members' working group on reaching people who are not online\n"
        "Share the key lessons with funders, policy and decision makers by the spring"
    )
    report.save(update_fields=["next_steps"])
