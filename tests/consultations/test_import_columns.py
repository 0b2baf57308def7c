"""Matching a survey export's columns before it is imported: the guess tolerates wording a
little different from the questions', the coordinator's choices are what the import
follows, a choice that cannot work is refused before anything is written, and a draft
with no questions can take them from the file's columns."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cairn.consultations.models import (
    Consultation,
    ConsultationStatus,
    ImportStatus,
    Question,
    QuestionKind,
    Response,
    ResponseImport,
)
from cairn.consultations.services import building, importing
from cairn.consultations.services import columns as matching
from cairn.contributions.models import Contribution
from cairn.core.models import AuditEntry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "consultations"
REWORDED = (FIXTURES / "google_forms_reworded.csv").read_bytes()

pytestmark = pytest.mark.django_db


def _targets(consultation: Consultation) -> dict[str, str]:
    """Question number by target, to read a guess."""
    return {matching.question_target(q): f"Q{q.number}" for q in consultation.questions.all()}


def _guess(consultation: Consultation, data: bytes, filename: str = "form.csv") -> list[str]:
    headers, _rows = importing._read_rows(data, filename, importing.ImportReport(filename))
    names = _targets(consultation)
    return [
        names.get(t, t)
        for t in importing.guess_targets(headers, list(consultation.questions.all()))
    ]


def _draft(alice) -> Consultation:
    return building.create_consultation(actor=alice, title="Before Cairn: our spring survey")


# --- the guess -----------------------------------------------------------------------------


def test_headings_worded_a_little_differently_are_matched_to_their_questions(consultation):
    # A word added, a hint in brackets, a question cut short: each finds its question.
    assert _guess(consultation, REWORDED) == [
        "submitted",
        "email",
        "name",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
    ]


def test_the_guess_leaves_a_heading_about_something_else_unmatched(consultation):
    data = b"What hindered?,What should we keep from this time?\nRain,Tea\n"
    # "What hindered?" is not "What helped?" (0.75 alike): left for the coordinator.
    assert _guess(consultation, data) == ["", "Q4"]
    assert matching.similarity("What hindered?", "What helped?") < matching.SIMILAR


def test_two_headings_like_one_question_give_it_to_the_closest_only(consultation):
    data = b"How supported did you feel,How well supported did you feel?\n3,4\n"
    assert _guess(consultation, data) == ["", "Q3"]


def test_the_import_without_a_mapping_uses_the_loose_guess(consultation, alice):
    report = importing.import_responses(consultation, REWORDED, filename="form.csv", actor=alice)
    assert report.imported == 8 and report.ignored_columns == []
    assert report.matched_columns["How supported did you feel (1-5)"] == "Q3"
    # Nobody saw the guess: the report says which columns were taken loosely.
    assert (
        "“How supported did you feel (1-5)” was taken for Q3, its wording a little different."
        in report.notes
    )
    named = Response.objects.get(respondent_name="Amina Yusuf")
    assert sorted(named.answers.get(question__position=1).selected) == ["Funding", "Volunteers"]


def test_the_command_line_imports_with_the_loose_guess_and_says_so(consultation, capsys):
    from django.core.management import call_command

    path = FIXTURES / "google_forms_reworded.csv"
    call_command("consultation", "import", str(consultation.pk), str(path))
    out = capsys.readouterr().out
    assert "Imported 8 responses" in out
    assert "“What should we keep from th...” was taken for Q4" in out


# --- the coordinator's choices ------------------------------------------------------------


def test_the_import_follows_the_columns_as_matched(consultation, alice):
    data = b'Answer A,Answer B,Name\nThe phone tree,No,Ann\nTea,"Yes, in person",Ben\n'
    q = list(consultation.questions.all())
    assert _guess(consultation, data) == ["", "", "name"]  # headings tell nothing
    report = importing.import_responses(
        consultation,
        data,
        filename="plain.csv",
        actor=alice,
        targets=[matching.question_target(q[3]), matching.question_target(q[0]), ""],
    )
    assert report.imported == 2 and report.ignored_columns == ["Name"]
    first = Response.objects.get(answers__text="The phone tree")
    assert first.answers.get(question=q[0]).selected == ["No"]
    assert first.respondent_name == ""  # "Name" was set to be ignored
    second = Response.objects.get(answers__text="Tea")
    assert second.answers.get(question=q[0]).selected == ["Yes, in person"]


def test_a_question_chosen_for_two_columns_is_refused_and_nothing_is_written(consultation, alice):
    q4 = matching.question_target(consultation.questions.get(position=3))
    with pytest.raises(importing.ImportFailed) as caught:
        importing.import_responses(
            consultation,
            b"First,Second\nTea,Cake\n",
            filename="twice.csv",
            actor=alice,
            targets=[q4, q4],
        )
    assert caught.value.report.errors == [
        "Columns “First” and “Second” are both matched to Q4: choose one."
    ]
    assert not Response.objects.exists() and not Contribution.objects.exists()


def test_no_question_chosen_and_a_detail_chosen_twice_are_both_said(consultation, alice):
    problems = matching.mapping_problems(
        ["Mail", "E-mail"],
        ["email", "email"],
        list(consultation.questions.all()),
        new_allowed=False,
    )
    assert problems == [
        "Columns “Mail” and “E-mail” are both matched to Email: choose one.",
        "No column is matched to a question: choose a question for a column of answers.",
    ]


def test_required_questions_no_column_answers_are_named(consultation):
    questions = list(consultation.questions.all())
    left = matching.unmatched_required([matching.question_target(questions[1])], questions)
    assert [q.number for q in left] == [1, 4]


def test_new_questions_are_refused_where_answers_have_come_in(consultation, alice):
    with pytest.raises(importing.ImportFailed) as caught:
        importing.import_responses(
            consultation,
            b"Anything else?\nTea\n",
            filename="new.csv",
            actor=alice,
            targets=["new:open"],
        )
    assert "cannot become a new question" in caught.value.report.errors[0]
    assert consultation.questions.count() == 4


# --- questions made from the file ---------------------------------------------------------


def test_a_draft_with_no_questions_takes_them_from_the_columns(alice):
    draft = _draft(alice)
    targets = ["submitted", "email", "name", "new:single", "new:multiple", "new:scale", "new:open"]
    report = importing.import_responses(
        draft, REWORDED, filename="form.csv", actor=alice, targets=targets
    )
    assert report.imported == 8
    made = list(draft.questions.all())
    assert [(q.number, q.kind) for q in made] == [
        (1, QuestionKind.SINGLE),
        (2, QuestionKind.MULTIPLE),
        (3, QuestionKind.SCALE),
        (4, QuestionKind.OPEN),
    ]
    assert made[0].text == "Did your group keep on meeting"
    assert made[0].choices == ["Yes, by phone or online", "No", "Yes, in person"]
    assert made[1].choices == ["Funding", "Volunteers", "The council", "Other groups"]
    assert (made[2].scale_min, made[2].scale_max) == (1, 5)
    assert made[3].text == "What should we keep from th"  # the "..." the tool added is gone
    first = Response.objects.get(respondent_name="Amina Yusuf")
    assert first.answers.get(question=made[1]).selected == ["Funding", "Volunteers"]
    assert first.answers.get(question=made[0]).selected == ["Yes, by phone or online"]
    assert Contribution.objects.filter(source_ref__endswith=" Q4").count() == 7
    # Each question made went through the building service, with its audit entry.
    assert AuditEntry.objects.filter(action="consultation.question_added").count() == 4
    assert draft.status == ConsultationStatus.DRAFT


def test_a_new_question_takes_the_wording_typed_for_it(alice):
    draft = _draft(alice)
    wordings = [""] * 6 + ["What should we keep from this time?"]
    importing.import_responses(
        draft,
        REWORDED,
        filename="form.csv",
        actor=alice,
        targets=["", "", "", "", "", "new:scale", "new:open"],
        wordings=wordings,
    )
    assert [q.text for q in draft.questions.all()] == [
        "How supported did you feel (1-5)",  # none typed: the heading
        "What should we keep from this time?",
    ]


def test_questions_are_not_made_when_a_row_is_refused(alice):
    draft = _draft(alice)
    data = b"Colour,Score\nRed,3\nBlue,12\nRed,2\n"
    with pytest.raises(importing.ImportFailed) as caught:
        importing.import_responses(
            draft, data, filename="bad.csv", actor=alice, targets=["new:single", "new:scale"]
        )
    # 12 is past the scale the column's values gave (up to 10 at most): nothing is kept.
    assert any("Score" in e for e in caught.value.report.errors)
    assert not Question.objects.exists() and not Response.objects.exists()


def test_a_column_too_varied_for_a_choice_question_says_so(alice):
    draft = _draft(alice)
    with pytest.raises(importing.ImportFailed) as caught:
        importing.import_responses(
            draft, b"Colour\nRed\nRed\n", filename="one.csv", actor=alice, targets=["new:single"]
        )
    assert caught.value.report.errors == [
        "Column “Colour” cannot become a question: A choice question needs at least two "
        "choices, one per line."
    ]
    assert not Question.objects.exists()


def test_a_dry_run_with_new_questions_writes_nothing(alice):
    draft = _draft(alice)
    report = importing.import_responses(
        draft,
        REWORDED,
        filename="form.csv",
        actor=alice,
        dry_run=True,
        targets=["submitted", "", "", "new:open", "", "", ""],
    )
    assert report.would_import == 8 and not Question.objects.exists()


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["Yes", "No", "Yes", "No", "Yes"], QuestionKind.SINGLE),
        (["Funding;Volunteers", "Funding", "Volunteers", "Funding;Other"], QuestionKind.MULTIPLE),
        (["4", "2", "5"], QuestionKind.SCALE),
        (["The phone tree", "Tea", "Video calls"], QuestionKind.OPEN),  # each said once
        (["Yes", "No"], QuestionKind.OPEN),  # too few rows to tell
        ([], QuestionKind.OPEN),
    ],
)
def test_the_kind_a_columns_values_suggest(values, kind):
    assert matching.suggest_kind(values) == kind


# --- the page ------------------------------------------------------------------------------


def _upload(client, consultation, data: bytes, name: str = "form.csv", **extra):
    return client.post(
        f"/consultations/{consultation.pk}/import/",
        {"file": SimpleUploadedFile(name, data), **extra},
    )


def test_the_whole_flow_upload_match_import(client, alice, consultation):
    client.force_login(alice)
    data = REWORDED.replace(b'"Your name"', b'"Respondent"')  # a heading the guess does not know
    response = _upload(client, consultation, data)
    record = ResponseImport.objects.get()
    assert response.status_code == 302 and response.url == record.get_absolute_url()
    assert record.status == ImportStatus.MATCHING and not Response.objects.exists()

    page = client.get(response.url).content.decode()
    assert "Match the columns of form.csv" in page
    assert "Amina Yusuf" in page  # a sample value beside its column
    assert "wording a little different: check" in page
    q = {f"Q{x.number}": matching.question_target(x) for x in consultation.questions.all()}
    assert f'<option value="{q["Q3"]}" selected>' in page

    chosen = {"map-0": "submitted", "map-1": "email", "map-2": "", "map-3": q["Q1"]}
    chosen |= {"map-4": q["Q2"], "map-5": q["Q3"], "map-6": q["Q3"]}
    page = client.post(response.url, chosen).content.decode()
    assert "are both matched to Q3: choose one." in page
    # Said beside the second column, and the summary links to its select.
    assert 'href="#map-6"' in page and 'id="map-6_error"' in page
    assert 'aria-invalid="true"' in page
    assert not Response.objects.exists()
    record.refresh_from_db()
    assert record.status == ImportStatus.MATCHING and record.file  # still kept to try again

    chosen |= {"map-2": "name", "map-6": q["Q4"]}
    done = client.post(response.url, chosen)
    assert done.status_code == 302 and done.url == record.get_absolute_url()
    record.refresh_from_db()
    assert record.status == ImportStatus.APPLIED and not record.file
    assert record.columns[2] == "name"
    assert Response.objects.filter(consultation=consultation).count() == 8
    assert Response.objects.filter(respondent_name="Amina Yusuf").exists()
    page = client.get(done.url).content.decode()
    assert "Imported 8 responses from form.csv" in page
    assert AuditEntry.objects.filter(action="consultation.import_columns_matched").exists()
    # Import pressed again on a page left open: nothing is imported twice.
    assert client.post(response.url, chosen).status_code == 302
    assert Response.objects.filter(consultation=consultation).count() == 8


def test_the_page_makes_questions_for_a_draft_that_has_none(client, alice):
    draft = _draft(alice)
    client.force_login(alice)
    url = _upload(client, draft, REWORDED).url
    page = client.get(url).content.decode()
    assert "has no questions yet" in page
    assert '<option value="new:single" selected>' in page
    assert '<option value="new:multiple" selected>' in page
    assert '<option value="new:scale" selected>' in page
    assert '<option value="new:open" selected>' in page
    # The wording offered for the question cut short: the heading without its "...".
    assert 'name="text-6" value="What should we keep from th"' in page
    chosen = {
        f"map-{i}": t
        for i, t in enumerate(
            ["submitted", "", "name", "new:single", "new:multiple", "new:scale", "new:open"]
        )
    }
    chosen["text-6"] = "What should we keep from this time?"
    assert client.post(url, chosen).status_code == 302
    assert draft.questions.count() == 4
    assert draft.questions.get(position=3).text == "What should we keep from this time?"
    assert Response.objects.filter(consultation=draft).count() == 8


def test_a_draft_with_questions_is_offered_questions_for_the_columns_left(client, alice):
    draft = _draft(alice)
    building.add_question(draft, actor=alice, kind=QuestionKind.OPEN, text="What helped?")
    client.force_login(alice)
    url = _upload(client, draft, REWORDED).url
    page = client.get(url).content.decode()
    assert "Make a question of each column not matched" in page
    assert '<option value="new:open" selected>' not in page
    assert 'name="text-3"' in page  # the wording, were a column made a question
    page = client.get(url + "?questions=1").content.decode()
    assert '<option value="new:open" selected>' in page


def test_an_unreadable_file_is_refused_at_the_upload(client, alice, consultation):
    client.force_login(alice)
    page = _upload(client, consultation, b"\n\n", name="empty.csv").content.decode()
    assert "Nothing was imported from empty.csv" in page
    assert not ResponseImport.objects.exists()


def test_an_upload_left_on_the_matching_page_goes_after_the_retention(
    consultation, alice, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core.files.storage import default_storage
    from django.utils import timezone

    settings.CAIRN_IMPORT_KEEP_DAYS = 30
    left = importing.keep_upload(consultation, REWORDED, filename="left.csv", actor=alice)
    fresh = importing.keep_upload(consultation, REWORDED, filename="fresh.csv", actor=alice)
    ResponseImport.objects.filter(pk=left.pk).update(created_at=timezone.now() - timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        assert importing.prune_finished_response_imports() == 1
    assert list(ResponseImport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not default_storage.exists(left.file.name)
    assert default_storage.exists(fresh.file.name)


@pytest.mark.parametrize(
    "name",
    [
        "google_forms.csv",
        "google_forms_reworded.csv",
        "surveymonkey.csv",
        "microsoft_forms.xlsx",
        "typeform.csv",
        "polis_comments.csv",
    ],
)
def test_every_sample_export_goes_through_the_matching_page_as_the_guess_imports_it(
    client, alice, consultation, name
):
    from tests.consultations.conftest import upload_and_import

    data = (FIXTURES / name).read_bytes()
    expected = importing.import_responses(
        consultation, data, filename=name, actor=alice, dry_run=True
    )
    client.force_login(alice)
    done = upload_and_import(client, consultation, data, name)
    record = ResponseImport.objects.get()
    assert done.url == record.get_absolute_url()
    assert record.status == ImportStatus.APPLIED, record.report
    assert record.report["imported"] == expected.would_import > 0
    assert record.report["tool"] == expected.tool
