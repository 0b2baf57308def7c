"""Demo: the seed event's conversation carries on, with replies by web, email, letter and phone."""

from email.message import EmailMessage

from cairn.conversations.models import PostChannel
from cairn.conversations.services import threads
from cairn.conversations.services.email_replies import ingest_email, reply_address


def load(network) -> None:
    people = network.people
    coordinator = network.users["coordinator"]
    event = network.seed_event
    thread = threads.start_thread(
        actor=coordinator,
        author=people["coordinator"],
        title="What have we learned? Carrying on the conversation",
        event=event,
        body=(
            "Thank you all for a rich discussion at the learning event. We said we would continue "
            "this conversation between members: what is one thing from the past months you want "
            "the network to hold on to?"
        ),
    )
    threads.add_post(
        thread,
        body="Relationships we already had let us act in days, not months. Let's keep meeting across sectors.",
        author=people["member"],
        channel=PostChannel.WEB,
    )
    message = EmailMessage()
    message["From"] = f"Rosie Campbell <{people['rosie'].email}>"
    message["To"] = reply_address(thread, people["rosie"])
    message["Subject"] = f"Re: {thread.title}"
    message["Message-ID"] = "<demo-reply-1@northshirelibraries.example>"
    message.set_content(
        "Libraries can keep running digital help sessions, but many people still need phone and post.\n\n"
        "Rosie\n-- \nDigital inclusion lead, Northshire Libraries\n\n"
        "On Tue, Aileen Baird wrote:\n> what is one thing from the past months you want the network to hold on to?\n"
    )
    ingest_email(bytes(message))
    # Replies by letter and phone go to a network-wide thread, so the seed event's own
    # figures (letters and calls received about the event itself) stay as they were.
    offline = threads.start_thread(
        actor=coordinator,
        author=people["coordinator"],
        title="Keeping in touch with members who are not online",
        topic="Reaching everyone",
        body="Tell us by any route (letter, phone or email) what helped you stay in touch.",
    )
    threads.enter_post(
        offline,
        actor=coordinator,
        author=people["jean"],
        channel=PostChannel.LETTER,
        body="Keep sending things by post. The weekly phone calls between tenants should carry on too.",
    )
    threads.enter_post(
        offline,
        actor=network.users["facilitator"],
        author=people["bill"],
        channel=PostChannel.PHONE,
        body="Said funders should hear that small groups like the shed have no reserves.",
    )
    tech = threads.start_thread(
        actor=coordinator,
        author=people["speaker2"],
        title="Who is left out when meetings go online?",
        event=event,
        theme=network.themes["Technology"],
        body="In our breakout we heard that a device is no use without a connection. What has worked for reaching people who are not online?",
    )
    threads.set_following(tech, people["rosie"], follow=True)
