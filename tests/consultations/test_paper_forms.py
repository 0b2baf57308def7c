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
    assert attachment.mimetype == "application/pdf" and bytes(attachment.content).startswith(
        b"%PDF"
    )
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
