"""Responses exported by Google Forms, SurveyMonkey, Microsoft Forms and Typeform
(layouts from real exports, tests/fixtures/consultations/README.md), dry runs, and
random or cut-short files."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.consultations.models import Response
from cairn.consultations.services import importing
from tests.consultations.conftest import make_consultation

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "consultations"


def _import(consultation, name, **kwargs):
    data = (FIXTURES / name).read_bytes()
    return importing.import_responses(consultation, data, filename=name, actor=None, **kwargs)


def _answers(response):
    return {a.question.position: (a.text, sorted(a.selected)) for a in response.answers.all()}


def test_google_forms_timestamp_with_its_gmt_offset_is_kept(consultation):
    report = _import(consultation, "google_forms.csv")
    assert report.imported == 2 and report.tool == "Google Forms"
    first = Response.objects.get(answers__text="The phone tree")
    assert first.submitted_at.isoformat() == "2026-05-20T12:47:23+00:00"  # 1:47 PM GMT+1
    assert report.ignored_columns == []  # "Email address" is the respondent's email


def test_surveymonkey_two_header_rows_and_one_column_per_option(consultation):
    report = _import(consultation, "surveymonkey.csv")
    assert report.imported == 2 and report.tool == "SurveyMonkey"
    first = Response.objects.get(answers__text="Keep the coffee mornings")
    answers = _answers(first)
    assert answers[1][1] == ["Funding", "The council"]  # two option columns, one answer
    assert first.submitted_at.isoformat() == "2026-05-19T08:14:40+00:00"  # End Date, US order
    second = Response.objects.get(answers__text="The WhatsApp group")
    assert _answers(second)[0][1] == ["No"]  # "Other (please specify)" left aside
    assert "Respondent ID" in report.ignored_columns


def test_microsoft_forms_workbook_is_read_with_its_completion_time(consultation):
    report = _import(consultation, "microsoft_forms.xlsx")
    assert report.imported == 2 and report.tool == "Microsoft Forms"
    buddy = Response.objects.get(answers__text="The buddy system")
    assert _answers(buddy)[1][1] == ["Other groups", "Volunteers"]
    assert buddy.submitted_at.isoformat() == "2026-10-09T10:03:41+00:00"  # BST
    assert buddy.respondent_name == ""  # "anonymous" is not a name


def test_typeform_submit_date_is_utc(consultation):
    report = _import(consultation, "typeform.csv")
    assert report.imported == 1 and report.tool == "Typeform"
    only = Response.objects.get()
    assert only.submitted_at.isoformat() == "2026-04-03T09:05:40+00:00"


def test_a_dry_run_checks_everything_and_writes_nothing(consultation):
    report = _import(consultation, "surveymonkey.csv", dry_run=True)
    assert report.dry_run and report.would_import == 2 and report.imported == 0
    assert not Response.objects.exists()
    assert _import(consultation, "surveymonkey.csv").imported == 2  # not counted as done


def test_the_cli_dry_run(consultation, capsys):
    path = FIXTURES / "google_forms.csv"
    call_command("consultation", "import", str(consultation.pk), str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "2 responses would be imported" in out and "Google Forms" in out
    assert not Response.objects.exists()
    with pytest.raises(CommandError):
        call_command("consultation", "import", str(consultation.pk), str(FIXTURES / "README.md"))


SEEDS = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".xlsx"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(SEEDS),
    cut=st.integers(min_value=0, max_value=5000),
    junk=st.binary(max_size=20),
)
def test_cut_short_or_spoilt_exports_import_all_or_nothing(alice, name, cut, junk):
    consultation = make_consultation(alice)
    data = (FIXTURES / name).read_bytes()
    data = data[: cut % (len(data) + 1)] + junk
    try:
        report = importing.import_responses(consultation, data, filename=name, actor=None)
    except importing.ImportFailed as exc:
        assert exc.report.errors
        assert not Response.objects.filter(consultation=consultation).exists()
    else:
        assert Response.objects.filter(consultation=consultation).count() == report.imported


def test_the_import_page_offers_a_dry_run(client, alice, consultation):
    from tests.consultations.conftest import upload_and_import

    client.force_login(alice)
    data = (FIXTURES / "typeform.csv").read_bytes()
    done = upload_and_import(client, consultation, data, "typeform.csv", dry_run="on")
    page = client.get(done.url).content.decode()
    assert "1 response would be imported" in page and "Typeform" in page
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "cell",
    [
        "2024/03/01 14:05:09 GMT",
        "2024/03/01 14:05:09 GMT+2",
        "2024-03-01 14:05:09",
        "2024-03-01T14:05:09",
        "2024-02-30 14:05:09",  # no such day: the slow path says so too
        "2024/03/01T14:05:09",
        "2024-03-01 24:05:09",
    ],
)
def test_times_read_without_strptime_are_read_as_strptime_reads_them(cell, monkeypatch):
    from cairn.consultations.services import importing

    def read(cell: str):
        try:
            return importing.parse_submitted(cell, utc=True, day_first=True)
        except ValueError as exc:
            return str(exc)

    quick = read(cell)
    monkeypatch.setattr(importing, "_YMD_HMS", importing.re.compile(r"(?!)"))
    assert quick == read(cell)


@pytest.mark.django_db
def test_a_polis_conversation_export_is_read_as_answers_to_its_one_open_question():
    """tests/fixtures/consultations/polis_comments.csv: five rows of a real Pol.is export
    (comments.csv of scoop-hivemind.taxes, 2018, The Computational Democracy Project,
    CC BY 4.0), one of them rejected by its moderators."""
    from cairn.consultations.models import ConsultationStatus, QuestionKind
    from cairn.consultations.services import building

    consultation = building.create_consultation(
        actor=None, title="Taxes", introduction="", privacy_notice="", allow_anonymous=True
    )
    building.add_question(
        consultation, actor=None, kind=QuestionKind.OPEN, text="What should change?"
    )
    building.set_status(consultation, ConsultationStatus.OPEN, actor=None)
    report = _import(consultation, "polis_comments.csv")
    assert report.tool == "Pol.is" and report.imported == 4, report.errors
    assert report.matched_columns == {"comment-body": "Q1"}
    assert any("1 comments the conversation's moderators rejected" in n for n in report.notes)
    assert not Response.objects.filter(answers__text__startswith="Results of cutting").exists()
    # Milliseconds since 1970 in UTC: 1524885226971 is 27 April 2018, 03:13:46 UTC.
    top = Response.objects.get(answers__text__startswith="Top tax rates")
    assert top.submitted_at.isoformat() == "2018-04-28T03:13:46.971000+00:00"
    assert "comment-body" not in report.ignored_columns


def test_epoch_seconds_and_milliseconds_are_read_as_utc():
    for cell in ("1524885226", "1524885226000"):
        when = importing.parse_submitted(cell, utc=False, day_first=True)
        assert when.isoformat().startswith("2018-04-28T03:13:46")
