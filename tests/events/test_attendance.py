from cairn.events.models import Registration
from cairn.events.services.attendance import (
    attendance_figures,
    check_in,
    import_participant_report,
)
from cairn.events.services.registration import register
from cairn.members.models import Channel, Sector

ZOOM_REPORT = """Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants
812 3456 7890,Learning event,11/26/2026 10:00:00 AM,11/26/2026 12:00:00 PM,host@example.org,120,3

Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest
Jane Doe,jane@example.org,11/26/2026 10:01:00 AM,11/26/2026 11:58:00 AM,117,No
Samuel Bell (Sam),,11/26/2026 10:03:00 AM,11/26/2026 11:58:00 AM,115,Yes
Walk In,walkin@example.org,11/26/2026 10:05:00 AM,11/26/2026 11:00:00 AM,55,Yes
"""


def _people(event, person_factory, alice):
    jane = person_factory("Jane", "Doe", email="jane@example.org", sector=Sector.COMMUNITY)
    sam = person_factory("Samuel", "Bell", sector=Sector.PRIVATE)
    bill = person_factory("Bill", "Henderson", channel=Channel.PHONE, sector=Sector.COMMUNITY)
    register(event.pk, jane)
    register(event.pk, sam)
    register(event.pk, bill, channel="phone", entered_by=alice)
    return jane, sam, bill


def test_the_video_tools_participant_report_marks_people_as_attended(event, person_factory, alice):
    jane, sam, bill = _people(event, person_factory, alice)
    report = import_participant_report(event, ZOOM_REPORT.encode(), "participants.csv", actor=alice)
    assert report.ok and report.matched == 2
    assert report.not_registered == ["Walk In"]
    attended = set(Registration.objects.filter(attended=True).values_list("person_id", flat=True))
    assert attended == {jane.pk, sam.pk}


def test_a_report_with_a_row_missing_name_and_email_imports_nothing(event, person_factory, alice):
    _people(event, person_factory, alice)
    bad = ZOOM_REPORT + ",,11/26/2026 10:05:00 AM,,1,No\n"
    report = import_participant_report(event, bad.encode(), "p.csv", actor=alice)
    assert report.errors == ["line 8: no name or email"]
    assert not Registration.objects.filter(attended=True).exists()


def test_a_file_without_name_or_email_columns_is_refused(event, alice):
    report = import_participant_report(event, b"a,b\n1,2\n", "p.csv", actor=alice)
    assert not report.ok


def test_a_coordinator_checks_people_in_and_figures_show_sector_and_channel(
    event, person_factory, alice
):
    jane, sam, bill = _people(event, person_factory, alice)
    check_in(Registration.objects.get(person=bill).pk, actor=alice)
    check_in(Registration.objects.get(person=jane).pk, actor=alice)
    figures = attendance_figures(event)
    assert ("Community group", 2, 2) in figures["sector"]
    assert ("Private sector", 1, 0) in figures["sector"]
    assert ("Phone call", 1, 1) in figures["channel"]
    assert ("Web", 2, 1) in figures["channel"]


def test_the_attendance_page_checks_in_without_javascript(client, event, person_factory, alice):
    jane, _sam, _bill = _people(event, person_factory, alice)
    client.force_login(alice)
    registration = Registration.objects.get(person=jane)
    client.post(f"/events/{event.pk}/attendance/{registration.pk}/", {"attended": "1"})
    registration.refresh_from_db()
    assert registration.attended and registration.checked_in_at
    page = client.get(f"/events/{event.pk}/attendance/").content.decode()
    assert "By sector" in page and "By registration channel" in page


def test_the_check_in_list_finds_someone_by_name_among_many(client, alice, event, person_factory):
    """At the door of a 300-person event, someone's name was on one of six pages."""
    from cairn.events.services.registration import register

    event.capacity = None
    event.save()
    for i in range(120):
        register(event.pk, person_factory(f"Guest{i:03d}", "Crowd"))
    register(event.pk, person_factory("Morag", "Lennox"))
    client.force_login(alice)
    page = client.get(f"/events/{event.pk}/attendance/?q=lennox").content.decode()
    assert 'name="q"' in page
    assert "Morag Lennox" in page and "Guest000" not in page
    empty = client.get(f"/events/{event.pk}/attendance/?q=nobody-called-this").content.decode()
    assert "Nobody matches" in empty
