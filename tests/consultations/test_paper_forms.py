import io

import pytest
from pypdf import PdfReader

from cairn.consultations.models import PaperForm, Response, ResponseChannel
from cairn.consultations.services import answering, paper
from cairn.contributions.models import Contribution, ContributionChannel
from tests.consultations.conftest import raw_for


def test_people_who_take_part_by_post_get_one_form_each_with_its_own_code(
    consultation, alice, jean, bill
):
    forms = paper.issue_paper_forms(consultation, actor=alice)
    assert [f.person for f in forms] == [jean]
    again = paper.issue_paper_forms(consultation, actor=alice)
    assert again[0].code == forms[0].code
    blank = paper.issue_blank_forms(consultation, actor=alice, count=5)
    codes = {f.code for f in PaperForm.objects.all()}
    assert len(codes) == 6 and all(len(c) == 9 and c[4] == "-" for c in codes)
    assert blank[0].person is None


def test_the_pdf_carries_the_code_questions_boxes_and_return_address(consultation, alice, jean):
    forms = paper.issue_paper_forms(consultation, actor=alice)
    pdf = paper.render_paper_forms(consultation, forms)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert forms[0].code in text
    for q in consultation.questions.all():
        assert q.text in text
    assert "Freepost COMMUNITIES" in text
    assert "Put a cross in one box." in text
    assert "Jean Millar" in text


def test_a_paper_code_cannot_be_used_twice(consultation, alice, bob, jean):
    form = paper.issue_paper_forms(consultation, actor=alice)[0]
    first = answering.enter_response(
        consultation,
        raw_for(consultation),
        channel="paper",
        actor=bob,
        paper_code=form.code.lower().replace("-", ""),
    )
    assert first.person == jean and first.paper_form == form and first.entered_by == bob
    assert Contribution.objects.get().channel == ContributionChannel.PAPER_FORM
    with pytest.raises(answering.AnswerErrors, match=f"{form.code} was already entered by bob"):
        answering.enter_response(
            consultation, raw_for(consultation), channel="paper", actor=alice, paper_code=form.code
        )
    assert Response.objects.count() == 1


def test_an_unknown_or_foreign_code_is_refused_clearly(consultation, alice, bob):
    from tests.consultations.conftest import make_consultation

    other = make_consultation(alice)
    foreign = paper.issue_blank_forms(other, actor=alice, count=1)[0]
    with pytest.raises(answering.AnswerErrors, match="No paper form has the code"):
        answering.enter_response(
            consultation, raw_for(consultation), channel="paper", actor=bob, paper_code="AAAA-AAAA"
        )
    with pytest.raises(answering.AnswerErrors, match="belongs to another consultation"):
        answering.enter_response(
            consultation, raw_for(consultation), channel="paper", actor=bob, paper_code=foreign.code
        )
    with pytest.raises(answering.AnswerErrors, match="8 letters and digits"):
        answering.enter_response(
            consultation, raw_for(consultation), channel="paper", actor=bob, paper_code="12"
        )


def test_the_database_refuses_a_second_response_for_one_paper_form(consultation, alice, jean):
    from django.db import IntegrityError, transaction

    form = paper.issue_paper_forms(consultation, actor=alice)[0]
    Response.objects.create(
        consultation=consultation, channel=ResponseChannel.PAPER, paper_form=form
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(
            consultation=consultation, channel=ResponseChannel.PAPER, paper_form=form
        )


def test_someone_who_already_answered_on_the_web_is_not_sent_a_form(consultation, alice, jean):
    Response.objects.create(
        consultation=consultation, person=jean, channel="web", status="submitted"
    )
    assert list(paper.people_due_a_form(consultation)) == []


def test_paper_forms_join_the_letter_batch_once_with_the_pdf_enclosed(consultation, alice, jean):
    from django.utils import timezone

    from cairn.members.models import Consent
    from cairn.outreach.models import Delivery

    Consent.objects.create(
        person=jean, purpose="research", method="post", recorded_at=timezone.now()
    )
    assert paper.send_paper_forms(consultation, actor=alice) == 1
    delivery = Delivery.objects.get(person=jean)
    assert delivery.channel == "post" and delivery.status == "queued"
    attachment = delivery.attachments.get()
    assert attachment.mimetype == "application/pdf" and attachment.read().startswith(b"%PDF")
    assert paper.send_paper_forms(consultation, actor=alice) == 0


def test_a_person_without_consent_is_not_sent_a_form_and_can_be_sent_one_later(
    consultation, alice, jean
):
    assert paper.send_paper_forms(consultation, actor=alice) == 0
    assert PaperForm.objects.get(person=jean).sent_at is None


def test_a_code_taken_while_typing_keeps_the_typed_answers_on_screen(
    consultation, alice, bob, jean, client
):
    form = paper.issue_paper_forms(consultation, actor=alice)[0]
    answering.enter_response(
        consultation, raw_for(consultation), channel="paper", actor=alice, paper_code=form.code
    )
    client.force_login(bob)
    q = list(consultation.questions.all())
    page = client.post(
        f"/consultations/{consultation.pk}/enter/",
        {"channel": "paper", "code": form.code, f"q{q[0].pk}": "2", f"q{q[3].pk}": "Typed by Bob"},
    ).content.decode()
    assert "was already entered by alice" in page
    assert "Typed by Bob" in page and 'value="2"' in page
    assert Response.objects.count() == 1


def test_the_printed_letter_batch_carries_the_personal_form_after_the_letter(
    consultation, alice, jean
):
    from django.utils import timezone

    from cairn.members.models import Consent
    from cairn.outreach.letters import render_letters
    from cairn.outreach.models import Delivery

    Consent.objects.create(
        person=jean, purpose="research", method="post", recorded_at=timezone.now()
    )
    paper.send_paper_forms(consultation, actor=alice)
    pdf = render_letters(Delivery.objects.filter(person=jean))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    code = PaperForm.objects.get(person=jean).code
    assert text.index(f"Your reference: {code}") < text.index("Please do not change this code")
    assert "Freepost COMMUNITIES" in text


def demo_like_consultation(actor, **question_overrides):
    """The demo's consultation (five questions, its introduction and notices)."""
    from cairn.consultations import demo
    from cairn.consultations.services import building
    from cairn.members.models import Organisation, Sector

    council = Organisation.objects.create(
        name="Eastdale Council Communities Team", sector=Sector.LOCAL_AUTHORITY
    )
    consultation = building.create_consultation(
        actor=actor,
        title="Your experience of the past months",
        asked_by=council,
        introduction=(
            "Eastdale Council wants to hear from community groups and volunteers about your "
            "experience of the past few months: what kept you going, what was hard, and what "
            "we should build on. It takes about ten minutes."
        ),
        privacy_notice=(
            "Your answers are read by the council's communities team and the Northshire "
            "Co-production Network. We publish a summary; we only quote you without your name "
            "and only if you say yes. We keep answers for two years. Contact the network to "
            "see or delete yours."
        ),
        return_address="Freepost NORTHSHIRE NETWORK\nNorthshire Co-production Network\n"
        "1 Library Square\nNorthshire NS1 1AB",
    )
    for kind, text, choices, required in demo.QUESTIONS:
        building.add_question(
            consultation,
            actor=actor,
            kind=kind,
            text=text,
            choices_text=choices,
            required=required,
            help_text=question_overrides.get(kind, ""),
            scale_min_label="Not at all" if kind == "scale" else "",
            scale_max_label="Very well" if kind == "scale" else "",
        )
    return consultation


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_standard_form_fits_two_pages_with_every_question_whole_on_one(alice, jean):
    consultation = demo_like_consultation(alice)
    jean.access_needs = []
    jean.save()
    form = paper.issue_paper_forms(consultation, actor=alice, people=[jean])[0]
    pages = pages_of(paper.render_paper_forms(consultation, [form]))
    assert len(pages) == 2
    # No heading left at the foot of a page: each question is on the same page as what
    # answers it (its hint and boxes, or its lines' page), as are the return address's
    # heading and the address, and the privacy heading and its words.
    for q in consultation.questions.all():
        on = [i for i, text in enumerate(pages) if q.text.split()[-1] in text.replace("\n", " ")]
        assert on, q.text
        page = pages[on[0]].replace("\n", " ")
        for option in q.choices:
            assert option in page, (q.text, option)
    last = pages[-1].replace("\n", " ")
    assert "please post this form to" in last and "Northshire NS1 1AB" in last
    assert "How we use your answers" in last and "delete yours" in last


def test_large_print_forms_print_nothing_under_16_points(alice, jean):
    from collections import Counter

    consultation = demo_like_consultation(alice)
    form = paper.issue_paper_forms(consultation, actor=alice, people=[jean])[0]  # large print
    sizes: Counter = Counter()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes[round(size * abs(tm[3]) * abs(cm[3]), 1)] += 1

    for page in PdfReader(io.BytesIO(paper.render_paper_forms(consultation, [form]))).pages:
        page.extract_text(visitor_text=visit)
    assert min(sizes) >= 16, sorted(sizes)


@pytest.mark.parametrize(
    "hint",
    [
        "Tick all that apply",
        "(Select all that apply.)",
        "Choose as many as apply",
        "All that apply",
    ],
)
def test_the_multiple_choice_instruction_is_printed_once(alice, hint):
    consultation = demo_like_consultation(alice, multiple=hint)
    form = paper.issue_blank_forms(consultation, actor=alice, count=1)[0]
    text = " ".join(pages_of(paper.render_paper_forms(consultation, [form]))).replace("\n", " ")
    assert text.count("every box that applies") == 1
    assert hint not in text


def test_a_hint_that_says_more_than_how_many_to_choose_is_kept(alice):
    hint = "Think of the last three months, not the first lockdown"
    consultation = demo_like_consultation(alice, multiple=hint)
    form = paper.issue_blank_forms(consultation, actor=alice, count=1)[0]
    text = " ".join(pages_of(paper.render_paper_forms(consultation, [form]))).replace("\n", " ")
    assert hint in text and "every box that applies" in text
    # Only the boxes' own instruction is left out: an open question keeps any hint.
    from cairn.consultations.models import Question

    assert paper.printed_hint(Question(kind="open", help_text="All that apply")) == "All that apply"


def test_a_form_without_its_own_return_address_goes_back_to_the_network(alice, settings, tmp_path):
    from django.core.management import call_command

    consultation = demo_like_consultation(alice)
    consultation.return_address = ""
    consultation.save()
    settings.NETWORK_NAME = "Northshire Network"
    settings.NETWORK_POSTAL_ADDRESS = "1 Quay Street\nPortshire NS1 9ZZ"
    form = paper.issue_blank_forms(consultation, actor=alice, count=1)[0]
    text = " ".join(pages_of(paper.render_paper_forms(consultation, [form])))
    assert "Northshire Network" in text and "Portshire NS1 9ZZ" in text

    # With neither address, the form says so and the command warns whoever prints it.
    settings.NETWORK_POSTAL_ADDRESS = ""
    text = " ".join(pages_of(paper.render_paper_forms(consultation, [form]))).replace("\n", " ")
    assert "postal address is missing" in text
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "consultation",
        "paper-forms",
        str(consultation.pk),
        "--blank",
        "1",
        "--out",
        str(tmp_path / "forms.pdf"),
        stdout=out,
        stderr=err,
    )
    assert "no return address" in err.getvalue() and "CAIRN_POSTAL_ADDRESS" in err.getvalue()


def test_the_consultation_page_warns_when_forms_have_nowhere_to_go_back_to(
    client, alice, consultation, settings
):
    settings.NETWORK_POSTAL_ADDRESS = ""
    client.force_login(alice)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "no address to be posted back to" not in page  # it has its own return address
    consultation.return_address = ""
    consultation.save()
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "no address to be posted back to" in page
