import pytest

from cairn.consultations.models import Consultation, ConsultationStatus, QuestionKind
from cairn.consultations.services import building
from cairn.members.models import Channel, Organisation, Person, Sector


def make_consultation(actor=None, *, allow_anonymous: bool = True) -> Consultation:
    council = Organisation.objects.get_or_create(
        name="Eastdale Council", defaults={"sector": Sector.LOCAL_AUTHORITY}
    )[0]
    consultation = building.create_consultation(
        actor=actor,
        title="Your experience of the past months",
        asked_by=council,
        introduction="We want to hear how your group coped.",
        privacy_notice="Only the council's community team reads your answers.",
        return_address="Freepost COMMUNITIES\nEastdale Council\nEA1 1AA",
        allow_anonymous=allow_anonymous,
    )
    building.add_question(
        consultation,
        actor=actor,
        kind=QuestionKind.SINGLE,
        text="Did your group keep meeting?",
        choices_text="Yes, in person\nYes, by phone or online\nNo",
        required=True,
    )
    building.add_question(
        consultation,
        actor=actor,
        kind=QuestionKind.MULTIPLE,
        text="What helped?",
        choices_text="Funding\nVolunteers\nThe council\nOther groups",
    )
    building.add_question(
        consultation,
        actor=actor,
        kind=QuestionKind.SCALE,
        text="How well supported did you feel?",
        scale_min=1,
        scale_max=5,
        scale_min_label="Not at all",
        scale_max_label="Very well",
    )
    building.add_question(
        consultation,
        actor=actor,
        kind=QuestionKind.OPEN,
        text="What should we keep from this time?",
        required=True,
    )
    building.set_status(consultation, ConsultationStatus.OPEN, actor=actor)
    return consultation


def raw_for(consultation, single="1", multiple="2 4", scale="4", open_text="The phone tree."):
    q = list(consultation.questions.all())
    return {q[0].pk: [single], q[1].pk: [multiple], q[2].pk: [scale], q[3].pk: [open_text]}


@pytest.fixture
def consultation(alice) -> Consultation:
    return make_consultation(alice)


@pytest.fixture
def jean(db) -> Person:
    org = Organisation.objects.create(name="Eastdale Tenants", sector=Sector.COMMUNITY)
    return Person.objects.create(
        first_name="Jean",
        last_name="Millar",
        organisation=org,
        preferred_channel=Channel.POST,
        address="12 Harbour Road\nEastdale",
        access_needs=["large_print"],
    )


@pytest.fixture
def bill(db) -> Person:
    return Person.objects.create(
        first_name="Bill",
        last_name="Henderson",
        preferred_channel=Channel.PHONE,
        sector=Sector.COMMUNITY,
    )


def upload_and_import(client, consultation, data: bytes, name: str, **extra):
    """Upload a file on the import page, then press Import on the page that matches its
    columns, the guess left as it is; the answer to that last press."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cairn.consultations.models import ResponseImport
    from cairn.consultations.services import importing

    uploaded = client.post(
        f"/consultations/{consultation.pk}/import/",
        {"file": SimpleUploadedFile(name, data), **extra},
    )
    if uploaded.status_code != 302:
        return uploaded  # refused at the upload
    record = ResponseImport.objects.get(pk=uploaded.url.rstrip("/").rsplit("/", 1)[1])
    seen = importing.overview(record)
    return client.post(uploaded.url, {f"map-{c.index}": c.target for c in seen.columns})
