"""Migrations that turned plain ids into real relations carry the data they had."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(*targets: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


def test_briefing_consultation_ids_become_links_and_a_missing_one_is_dropped():
    before = [
        ("reports", "0004_rendered_file"),
        ("consultations", "0004_question_synthesis_run_foreign_key"),
    ]
    try:
        apps = _migrate(*before)
        Consultation = apps.get_model("consultations", "Consultation")
        Report = apps.get_model("reports", "Report")
        kept = Consultation.objects.create(title="Buses")
        gone = Consultation.objects.create(title="Parks")
        report = Report.objects.create(
            kind="briefing", title="B", slug="b1", consultation_ids=[kept.pk, gone.pk]
        )
        gone.delete()
        apps = _migrate(("reports", "0005_report_consultations"))
        Report = apps.get_model("reports", "Report")
        assert list(
            Report.objects.get(pk=report.pk).consultations.values_list("pk", flat=True)
        ) == [kept.pk]
        apps = _migrate(*before)
        assert apps.get_model("reports", "Report").objects.get(pk=report.pk).consultation_ids == [
            kept.pk
        ]
    finally:
        _migrate(*MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_contact_request_delivery_id_becomes_a_foreign_key():
    # members and outreach stay at their latest migration, so their own models serve.
    from cairn.members.models import Organisation, Person
    from cairn.outreach.models import Delivery

    outreach_latest = next(
        node
        for node in MigrationExecutor(connection).loader.graph.leaf_nodes()
        if node[0] == "outreach"
    )
    before = [("exchange", "0001_initial"), outreach_latest]
    try:
        apps = _migrate(*before)
        Listing = apps.get_model("exchange", "Listing")
        ContactRequest = apps.get_model("exchange", "ContactRequest")
        org = Organisation.objects.create(name="Food Share")
        person = Person.objects.create(first_name="Dana", last_name="Ng", organisation_id=org.pk)
        listing = Listing.objects.create(
            kind="offer", category="equipment", title="Van", organisation_id=org.pk
        )
        delivery = Delivery.objects.create(person=person, channel="email", purpose="newsletters")
        sent = ContactRequest.objects.create(
            listing_id=listing.pk, message="hi", delivery_id=delivery.pk
        )
        lost = ContactRequest.objects.create(
            listing=Listing.objects.create(
                kind="need", category="equipment", title="Vans", organisation_id=org.pk
            ),
            message="hello",
            delivery_id=delivery.pk + 1000,
        )
        apps = _migrate(("exchange", "0002_contactrequest_delivery_foreign_key"))
        ContactRequest = apps.get_model("exchange", "ContactRequest")
        assert ContactRequest.objects.get(pk=sent.pk).delivery_id == delivery.pk
        assert ContactRequest.objects.get(pk=lost.pk).delivery_id is None
    finally:
        _migrate(*MigrationExecutor(connection).loader.graph.leaf_nodes())
