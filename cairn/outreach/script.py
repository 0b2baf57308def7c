"""A short phone script generated from a message, for volunteers making calls."""

import re

from cairn.core.network import network
from cairn.outreach.models import Delivery

MAX_SENTENCES = 4


def summary(body: str, max_sentences: int = MAX_SENTENCES) -> str:
    # Greetings and sign-offs read oddly aloud; the script has its own.
    lines = [
        line.strip()
        for line in body.splitlines()
        if line.strip()
        and not re.match(
            r"^(dear|hello|hi|best wishes|kind regards|regards|thanks|thank you)\b",
            line.strip(),
            re.I,
        )
    ]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(lines))
    return " ".join(sentences[:max_sentences]).strip()


def call_script(delivery: Delivery) -> list[str]:
    person = delivery.person
    name = person.first_name if person else ""
    steps = [
        f"Hello, may I speak to {name}? My name is …, and I'm calling from {network().name}.",
        f"I'm calling about: {delivery.subject}.",
    ]
    text = summary(delivery.body)
    if text:
        steps.append(text)
    # What the call is about (an event, say) may have a phone number to join by.
    dial_in = getattr(delivery.about, "dial_in", "") if delivery.about_id else ""
    if dial_in:
        steps.append(f"You can join by phone: {dial_in}")
    steps += [
        "Is there anything you would like us to pass on to the network? "
        "(Write their words down as they say them, and ask whether we may quote them.)",
        "Are you still happy for us to contact you by phone? Thank you for your time.",
    ]
    return steps
