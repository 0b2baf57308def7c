"""Demo: synthesise the seed event's contributions (inline with the immediate task backend)."""

from cairn.insights.models import RunMode
from cairn.insights.services import start_synthesis


def load(network) -> None:
    if network.seed_event is None:
        return
    start_synthesis(
        network.users.get("coordinator"),
        event=network.seed_event,
        mode=RunMode.GUIDED,
        inline=True,
    )
