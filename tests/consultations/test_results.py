from django.contrib.auth.models import AnonymousUser

from cairn.consultations.services import answering, paper, results
from tests.consultations.conftest import raw_for


def test_choice_counts_are_split_by_channel_and_sector(consultation, alice, bob, jean, bill):
    form = paper.issue_paper_forms(consultation, actor=alice)[0]
    answering.enter_response(
        consultation,
        raw_for(consultation, single="1"),
        channel="paper",
        actor=bob,
        paper_code=form.code,
    )
    answering.enter_response(
        consultation, raw_for(consultation, single="1"), channel="phone", actor=bob, person=bill
    )
    web = answering.start_web_response(consultation, AnonymousUser())
    answering.save_web_answers(
        web, raw_for(consultation, single="3"), submit=True, sector="local_authority"
    )
    answering.start_web_response(consultation, AnonymousUser())  # a draft: not counted

    r = results.consultation_results(consultation)
    assert r.responses == 3
    assert [v for v, _ in r.channels] == ["web", "paper", "phone"]
    assert [v for v, _ in r.sectors] == ["community", "local_authority"]
    q1 = r.choice[0]
    yes_in_person = q1.options[0]
    assert (yes_in_person.total, yes_in_person.by_channel, yes_in_person.by_sector) == (
        2,
        [0, 1, 1],
        [2, 0],
    )
    assert (q1.options[2].total, q1.options[2].by_channel) == (1, [1, 0, 0])
    assert len(r.open[0].answers) == 3


def test_the_results_page_and_csv_show_every_channel(consultation, alice, bob, bill, client):
    answering.enter_response(
        consultation, raw_for(consultation), channel="phone", actor=bob, person=bill
    )
    client.force_login(alice)
    page = client.get(f"/consultations/{consultation.pk}/results/").content.decode()
    assert "The phone tree." in page and "Phone" in page
    csv = client.get(f"/consultations/{consultation.pk}/results.csv").content.decode()
    assert "phone,submitted,community,bob" in csv


def test_a_formula_typed_as_an_answer_is_disarmed_in_the_csv(consultation, bob, bill):
    answering.enter_response(
        consultation,
        raw_for(consultation, open_text="=HYPERLINK(1)"),
        channel="phone",
        actor=bob,
        person=bill,
    )
    assert "'=HYPERLINK(1)" in results.responses_csv(consultation)


def test_the_summary_pdf_quotes_only_those_who_agreed(consultation, alice, bob, bill, client):
    import io

    from pypdf import PdfReader

    answering.enter_response(
        consultation,
        raw_for(consultation, open_text="Quote me please"),
        channel="phone",
        actor=bob,
        person=bill,
        consent_to_quote=True,
    )
    answering.enter_response(
        consultation,
        raw_for(consultation, open_text="Keep this private"),
        channel="phone",
        actor=bob,
    )
    client.force_login(alice)
    reply = client.get(f"/consultations/{consultation.pk}/results.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(reply.content)).pages)
    assert "Quote me please" in text and "Keep this private" not in text
    assert "Did your group keep meeting?" in text and "2 responses" in text


def test_the_summary_pdf_hides_names_in_answers_and_drops_sign_offs(
    consultation, alice, bob, bill, jean, client
):
    import io

    from pypdf import PdfReader

    answering.enter_response(
        consultation,
        raw_for(consultation, open_text="Jean kept the phone tree going. Many thanks, Bill"),
        channel="phone",
        actor=bob,
        person=bill,
        consent_to_quote=True,
    )
    client.force_login(alice)
    reply = client.get(f"/consultations/{consultation.pk}/results.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(reply.content)).pages)
    assert "[a member] kept the phone tree going." in text
    assert "Jean" not in text and "Many thanks" not in text
    page = client.get(f"/consultations/{consultation.pk}/results/").content.decode()
    assert "Jean kept the phone tree going" in page  # coordinators read the original


def test_an_answer_with_no_sector_counts_as_not_known_not_as_an_individual(consultation, alice):
    """Someone who preferred not to say (or a sheet with no Sector column) is not known, as
    the synthesis and the briefing count them, not "Individual / no organisation"."""
    web = answering.start_web_response(consultation, AnonymousUser())
    answering.save_web_answers(web, raw_for(consultation, single="1"), submit=True, sector="")
    web = answering.start_web_response(consultation, AnonymousUser())
    answering.save_web_answers(
        web, raw_for(consultation, single="1"), submit=True, sector="individual"
    )

    r = results.consultation_results(consultation)
    assert [v for v, _ in r.sectors] == ["individual", "unknown"]
    assert r.by_sector == [("Individual / no organisation", 1), ("Sector not known", 1)]
    assert r.choice[0].options[0].by_sector == [1, 1]
