"""Demo: Eastdale Council asks community groups and volunteers about the past months.

Answers came in on the web, on returned paper forms and by phone; one call ended early
and one paper form has not come back yet.
"""

from cairn.consultations.models import ConsultationStatus, QuestionKind, Response, ResponseChannel
from cairn.consultations.services import answering, building, paper

QUESTIONS = [
    (
        QuestionKind.SINGLE,
        "Did your group or your volunteering carry on during the past months?",
        "Yes, much as before\nYes, but in a different way\nIt paused\nIt stopped for good",
        True,
    ),
    (
        QuestionKind.MULTIPLE,
        "How did you keep in touch with the people you support?",
        "Phone calls\nLetters or leaflets through the door\nVideo meetings\nSocial media or messaging\nMeeting outdoors",
        False,
    ),
    (QuestionKind.SCALE, "How well did the council support your group?", "", False),
    (QuestionKind.OPEN, "What worked well that we should keep?", "", True),
    (QuestionKind.OPEN, "What should the council do differently next time?", "", False),
]

# person key, channel, single, multiple, scale, open 1, open 2
ANSWERS = [
    (
        "rosie",
        "web",
        "2",
        "3 4",
        "4",
        "Digital champions in libraries helped groups get online quickly.",
        "Lend tablets with data, not just devices.",
    ),
    (
        "zara",
        "web",
        "2",
        "1 4",
        "3",
        "Neighbours volunteering for food deliveries, organised on a messaging group.",
        "Tell us earlier about funding so we can plan.",
    ),
    ("sandra", "web", "1", "3", "4", "Weekly calls between the council and community groups.", ""),
    (
        "david",
        "web",
        "2",
        "1 3",
        "5",
        "Joint visits with community groups to people living alone.",
        "Share lists of vulnerable people with groups safely.",
    ),
    (
        "jean",
        "paper",
        "2",
        "1 2",
        "2",
        "The phone tree and the newsletter through every door.",
        "Remember those of us who are not online. Write to us.",
    ),
    (
        "maggie",
        "paper",
        "3",
        "2",
        "2",
        "The lunch club phoning me every week.",
        "Bring back the community bus.",
    ),
    (
        "kenny",
        "paper",
        "2",
        "1 5",
        "3",
        "Meeting outdoors at the shed with the doors open.",
        "Small groups have no reserves; help with rent.",
    ),
    (
        "bill",
        "phone",
        "2",
        "1 5",
        "3",
        "The landlord waived our rent and members phoned each other.",
        "Funding that lasts more than a few months.",
    ),
    (
        "fatima",
        "phone",
        "2",
        "1 4",
        "4",
        "Volunteers with vans delivering food to families.",
        "Information in other languages, sooner.",
    ),
    (
        "joe",
        "phone",
        "3",
        "1 2",
        "1",
        "Tenants phoning each other every week.",
        "Put us in touch with the supermarket about donations.",
    ),
]


def load(network) -> None:
    coordinator = network.users["coordinator"]
    facilitator = network.users["facilitator"]
    people = network.people
    consultation = building.create_consultation(
        actor=coordinator,
        title="Your experience of the past months",
        asked_by=network.organisations["Eastdale Council Communities Team"],
        introduction=(
            "Eastdale Council wants to hear from community groups and volunteers about your "
            "experience of the past few months: what kept you going, what was hard, and what we "
            "should build on. It takes about ten minutes."
        ),
        privacy_notice=(
            "Your answers are read by the council's communities team and the Northshire "
            "Co-production Network. We publish a summary; we only quote you without your name and "
            "only if you say yes. We keep answers for two years. Contact the network to see or "
            "delete yours."
        ),
        return_address="Freepost NORTHSHIRE NETWORK\nNorthshire Co-production Network\n1 Library Square\nNorthshire NS1 1AB",
        allow_anonymous=True,
    )
    for kind, text, choices, required in QUESTIONS:
        building.add_question(
            consultation,
            actor=coordinator,
            kind=kind,
            text=text,
            choices_text=choices,
            required=required,
            scale_min_label="Not at all" if kind == QuestionKind.SCALE else "",
            scale_max_label="Very well" if kind == QuestionKind.SCALE else "",
        )
    building.set_status(consultation, ConsultationStatus.OPEN, actor=coordinator)
    questions = list(consultation.questions.all())
    forms = {f.person_id: f for f in paper.issue_paper_forms(consultation, actor=coordinator)}
    for key, channel, single, multiple, scale, keep, change in ANSWERS:
        person = people[key]
        raw = dict(
            zip(
                (q.pk for q in questions),
                ([single], [multiple], [scale], [keep], [change]),
                strict=True,
            )
        )
        if channel == "web":
            response = Response.objects.create(
                consultation=consultation,
                person=person,
                sector=person.effective_sector,
                channel=ResponseChannel.WEB,
            )
            answering.save_web_answers(response, raw, submit=True, consent_to_quote=True)
        elif channel == "paper":
            answering.enter_response(
                consultation,
                raw,
                channel="paper",
                actor=facilitator,
                paper_code=forms[person.pk].code,
                consent_to_quote=True,
            )
        else:
            answering.enter_response(
                consultation,
                raw,
                channel="phone",
                actor=facilitator,
                person=person,
                consent_to_quote=True,
            )
    # Ruth's call ended after two questions; the volunteer saved what she had said.
    answering.enter_response(
        consultation,
        {questions[0].pk: ["2"], questions[1].pk: ["1"]},
        channel="phone",
        actor=facilitator,
        person=people["ruth"],
        incomplete=True,
    )
    # An anonymous visitor started on the web and has not finished yet.
    draft = Response.objects.create(consultation=consultation, channel=ResponseChannel.WEB)
    answering.save_web_answers(draft, {questions[0].pk: ["4"]}, submit=False)
