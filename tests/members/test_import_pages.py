import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cairn.members.models import ImportJob, Person

pytestmark = pytest.mark.django_db

CSV = b"Name,E-mail address,Tel\nJean Millar,jean@example.org,01632\nBad Row,nope,\n"


def upload(client, data=CSV, name="members.csv"):
    return client.post("/people/import/", {"file": SimpleUploadedFile(name, data)})


def test_only_coordinators_may_import(client, bob):
    client.force_login(bob)
    assert client.get("/people/import/").status_code == 403


def test_an_upload_shows_the_mapping_the_errors_and_changes_nothing(client, alice):
    client.force_login(alice)
    response = upload(client)
    job = ImportJob.objects.get()
    assert response["Location"] == f"/people/import/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "E-mail address" in page and 'value="email" selected' in page
    assert "&#x27;nope&#x27; is not a valid email address" in page
    assert not Person.objects.exclude(user=alice).exists()


def test_an_unreadable_upload_gets_a_message_on_the_form(client, alice):
    client.force_login(alice)
    response = upload(client, b"\x00\x01\x02", "photo.csv")
    assert response.status_code == 200
    assert b"binary data" in response.content
    assert not ImportJob.objects.exists()


def test_the_import_applies_only_when_confirmed_and_only_once(client, alice):
    client.force_login(alice)
    job_url = upload(client)["Location"]
    form = {"map-0": "full_name", "map-1": "email", "map-2": "phone", "action": "apply"}
    response = client.post(job_url, form)
    assert b"Tick the box" in response.content
    assert not Person.objects.filter(email="jean@example.org").exists()
    client.post(job_url, form | {"confirm": "1"})
    assert Person.objects.filter(email="jean@example.org").count() == 1
    client.post(job_url, form | {"confirm": "1"})
    assert Person.objects.filter(email="jean@example.org").count() == 1
    assert b"people were created: 1" in client.get(job_url).content


def test_the_finished_page_lists_ignored_columns_without_command_line_advice(client, alice):
    client.force_login(alice)
    job_url = upload(client, b"Name,Email,Shoe size\nJean Millar,jean@example.org,5\n")["Location"]
    client.post(
        job_url,
        {"map-0": "full_name", "map-1": "email", "map-2": "", "action": "apply"} | {"confirm": "1"},
    )
    done = client.get(job_url).content.decode()
    assert "columns ignored: Shoe size" in done and "--map" not in done


def test_remapping_a_column_updates_the_preview(client, alice):
    client.force_login(alice)
    job_url = upload(client)["Location"]
    response = client.post(
        job_url, {"map-0": "", "map-1": "email", "map-2": "phone", "action": "remap"}
    )
    assert b"No column is mapped to a name" in response.content


def _confirm_label(page: str) -> str:
    label = re.search(r'<label class="choice" for="confirm">(.*?)</label>', page, re.S)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", label).split())


def test_the_confirm_box_counts_in_words_and_speaks_of_duplicates_only_when_there_are_some(
    client, alice
):
    client.force_login(alice)
    one_new = client.get(upload(client, b"Name,Email\nJean Millar,jean@example.org\n")["Location"])
    assert _confirm_label(one_new.content.decode()) == "Import 1 new person"

    Person.objects.create(first_name="Jean", last_name="Millar", email="jean@example.org")
    # Jean is on file already: a row with something new about her is a likely duplicate.
    csv = (
        b"Name,Email,Tel\nJean Millar,jean@example.org,01632\n"
        b"Amy Ross,amy@example.org,\nBo Li,bo@example.org,\n"
    )
    page = client.get(upload(client, csv)["Location"]).content.decode()
    assert _confirm_label(page) == "Import 2 new people and apply 1 decision on a likely duplicate"

    only_duplicate = b"Name,Email,Tel\nJean Millar,jean@example.org,01632\n"
    page = client.get(upload(client, only_duplicate)["Location"]).content.decode()
    assert _confirm_label(page) == "Apply 1 decision on a likely duplicate"


def test_a_file_with_no_column_recognised_says_what_its_first_row_reads(client, alice):
    client.force_login(alice)
    job_url = upload(client, b"Shoe size,Favourite colour\n5,blue\n", "shoes.csv")["Location"]
    page = client.get(job_url).content.decode()
    assert "None of the columns was recognised (the first row reads: Shoe size, Favourite" in page
    assert "Check that this is the member list" in page


def test_a_workbook_named_csv_is_read_as_a_workbook_and_says_so(client, alice):
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["Name", "Email"])
    workbook.active.append(["Jean Millar", "jean@example.org"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(alice)
    job_url = upload(client, buffer.getvalue(), "members.csv")["Location"]
    page = client.get(job_url).content.decode()
    assert "Read as an Excel workbook (.xlsx): although its name ends in .csv" in page
    assert "encoding —" not in page
