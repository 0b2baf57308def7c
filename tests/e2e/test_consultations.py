import pytest
from playwright.sync_api import expect

from cairn.consultations.models import Consultation, PaperForm, Response
from cairn.site.demo import demo_password
from tests.e2e.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_someone_answers_a_consultation_on_a_phone_saves_and_finishes_later(
    browser, live_server, demo
):
    consultation = Consultation.objects.get(title="Your experience of the past months")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/answer/")
    expect(page.get_by_role("heading", name="How we use your answers")).to_be_visible()
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Yes, but in a different way").check()
    page.get_by_label("Phone calls").check()
    page.get_by_label("What worked well that we should keep?").fill("Our street's phone tree.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save and finish later").click()
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    resume = page.url
    page.goto(resume)
    expect(page.get_by_label("What worked well that we should keep?")).to_have_value(
        "Our street's phone tree."
    )
    expect(page.get_by_label("Phone calls")).to_be_checked()
    page.get_by_label("Meeting outdoors").check()
    page.get_by_text("4", exact=True).click()
    page.get_by_label("Which best describes you?").select_option("community")
    screenshot(page, "consultation-answer-phone")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    response = Response.objects.get(token=resume.rstrip("/").rsplit("/", 1)[1])
    assert response.status == "submitted" and response.sector == "community"
    assert sorted(a.selected for a in response.answers.all() if a.selected)[0] == ["4"]
    context.close()


def test_a_volunteer_enters_a_returned_paper_form_with_the_keyboard_alone(page, live_server, demo):
    consultation = Consultation.objects.get(title="Your experience of the past months")
    form = PaperForm.objects.get(
        consultation=consultation, response__isnull=True, person__isnull=False
    )
    login(page, live_server.url, "facilitator", demo_password())
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/enter/?channel=paper")
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(form.code.lower().replace("-", ""))
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text(f"Form {form.code} for {form.person.full_name}")).to_be_visible()
    expect(page.locator("[name^='q']:focus")).to_have_count(1)
    for typed in ["2", "1 2", "2", "Carers phoning carers.", "Write to us, please."]:
        page.keyboard.type(typed)
        page.keyboard.press("Tab")
    page.keyboard.press("Space")  # agreed to be quoted
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Save response"
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saved response")).to_be_visible()
    screenshot(page, "consultation-paper-entry")
    response = Response.objects.get(paper_form=form)
    assert response.channel == "paper" and response.entered_by.username == "facilitator"
    assert response.consent_to_quote
    assert response.answers.count() == 5

    page.goto(f"{live_server.url}/consultations/{consultation.pk}/enter/?channel=paper")
    expect(page.locator("#code")).to_be_focused()
    page.keyboard.type(form.code)
    page.keyboard.press("Enter")
    expect(page.get_by_text("was already entered by facilitator")).to_be_visible()


def test_consultation_pages_have_no_serious_accessibility_violations(page, live_server, demo):
    consultation = Consultation.objects.get(title="Your experience of the past months")
    login(page, live_server.url, "coordinator", demo_password())
    problems = {}
    for path in [
        "/consultations/",
        "",
        "script/",
        "enter/?channel=phone",
        "enter/?channel=paper",
        "results/",
        "import/",
    ]:
        url = path if path.startswith("/") else f"/consultations/{consultation.pk}/{path}"
        page.goto(f"{live_server.url}{url}")
        found = axe_violations(page)
        if found:
            problems[url] = found
        if path == "results/":
            screenshot(page, "consultation-results")
        if path == "enter/?channel=phone":
            screenshot(page, "consultation-phone-entry")
    assert problems == {}


# A form the network ran on Google Forms before the consultation was in Cairn: its headings
# are the questions worded a little differently, one cut short, one the guess cannot place.
EARLIER_FORM = (
    "Timestamp,Email address,Did your group or volunteering carry on during the past months,"
    "How did you keep in touch with people you support? (tick all that apply),"
    "How well did the council support you? (1-5),What worked well that we should keep...,Anything else to add?\n"
    '2026/05/20 1:47:23 PM GMT+1,,"Yes, but in a different way",Phone calls;Video meetings,4,'
    "The phone tree,More notice of funding\n"
    "2026/05/20 2:03:47 PM GMT+1,,It paused,Meeting outdoors,2,Walks in the park,\n"
)


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_matches_the_columns_of_an_earlier_form_then_imports(
    browser, live_server, demo, tmp_path, width
):
    consultation = Consultation.objects.get(title="Your experience of the past months")
    before = Response.objects.filter(consultation=consultation).count()
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "coordinator", demo_password())
    upload = tmp_path / "earlier-form.csv"
    upload.write_text(EARLIER_FORM)
    page.goto(f"{live_server.url}/consultations/{consultation.pk}/import/")
    page.get_by_label("CSV or Excel file").set_input_files(str(upload))
    page.get_by_role("button", name="Next: match the columns").click()

    expect(
        page.get_by_role("heading", name="Match the columns of earlier-form.csv")
    ).to_be_visible()
    # The guess, filled in: wording a little different still finds its question.
    expect(
        page.get_by_label("How well did the council support you? (1-5): What it holds")
    ).to_have_value(f"q:{consultation.questions.get(position=2).pk}")
    expect(page.get_by_label("Timestamp: What it holds")).to_have_value("submitted")
    last = page.get_by_label("Anything else to add?: What it holds")
    expect(last).to_have_value("")  # nothing like it: left for the coordinator
    assert axe_violations(page) == []
    expect(page.locator("#text-0")).to_have_count(0)  # answered: no new questions here
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= width, f"the page is {wide} px wide at {width} px"
    screenshot(page, f"consultation-import-columns-{width}")

    # Chosen twice: said in the summary and beside the column, and nothing is imported.
    last.select_option(f"q:{consultation.questions.get(position=3).pk}")
    page.get_by_role("button", name="Import the responses").click()
    expect(page.get_by_role("alert")).to_contain_text("are both matched to Q4: choose one.")
    assert Response.objects.filter(consultation=consultation).count() == before
    screenshot(page, f"consultation-import-columns-twice-{width}")
    page.get_by_role("alert").get_by_role("link").first.click()
    last = page.get_by_label("Anything else to add?: What it holds")
    expect(last).to_be_focused()
    last.select_option(f"q:{consultation.questions.get(position=4).pk}")
    page.get_by_role("button", name="Import the responses").click()
    expect(
        page.get_by_role("heading", name="Imported 2 responses from earlier-form.csv")
    ).to_be_visible()
    assert Response.objects.filter(consultation=consultation).count() == before + 2
    said = Response.objects.get(answers__text="More notice of funding")
    assert said.answers.get(question__position=0).selected == ["Yes, but in a different way"]
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_draft_with_no_questions_takes_them_from_a_files_columns(
    browser, live_server, demo, width
):
    from cairn.consultations.services import building
    from tests.consultations.test_import_columns import FIXTURES

    draft = building.create_consultation(actor=None, title="Our spring survey, before Cairn")
    context = browser.new_context(viewport={"width": width, "height": 844}, is_mobile=width < 500)
    page = context.new_page()
    page.set_default_timeout(15_000)
    login(page, live_server.url, "coordinator", demo_password())
    page.goto(f"{live_server.url}/consultations/{draft.pk}/import/")
    page.get_by_label("CSV or Excel file").set_input_files(
        str(FIXTURES / "google_forms_reworded.csv")
    )
    page.get_by_role("button", name="Next: match the columns").click()
    expect(page.get_by_text("This consultation has no questions yet")).to_be_visible()
    expect(page.get_by_label("What helped? (tick all that apply): What it holds")).to_have_value(
        "new:multiple"
    )
    expect(page.get_by_label("How supported did you feel (1-5): What it holds")).to_have_value(
        "new:scale"
    )
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator("#text-0")).to_be_hidden()  # the Timestamp becomes no question
    page.locator("#text-6").fill("What should we keep from this time?")
    screenshot(page, f"consultation-import-new-questions-{width}")
    page.get_by_label("Email address: What it holds").select_option("")
    page.get_by_role("button", name="Import the responses").click()
    expect(page.get_by_role("heading", name="Imported 8 responses")).to_be_visible()
    assert [q.kind for q in draft.questions.all()] == ["single", "multiple", "scale", "open"]
    assert draft.questions.get(position=3).text == "What should we keep from this time?"
    context.close()
