"""A member who chooses how to be reached on "My details" is told at once when the
record has no way to reach them by that channel, instead of "Saved." and then letters or
calls that can never go out (they would only show on the coordinators' not-reached list)."""

import pytest
from django.urls import reverse

from cairn.members.models import Person


def _post(client, **fields):
    data = {"preferred_channel": "email", "email": "", "phone": "", "address": "", "postcode": ""}
    data.update(fields)
    return client.post(reverse("members:me"), data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("channel", "field", "message"),
    [
        ("post", "address", "add your postal address"),
        ("phone", "phone", "add your phone number"),
        ("email", "email", "add your email address"),
    ],
)
def test_a_channel_without_its_contact_detail_is_refused_with_the_reason(
    client, charlie, channel, field, message
):
    Person.objects.filter(user=charlie).update(preferred_channel="web")
    client.force_login(charlie)
    response = _post(client, preferred_channel=channel, job_title="Volunteer driver")
    assert response.status_code == 200
    page = response.content.decode()
    summary = page.split("data-error-summary", 1)[1].split("</div>", 1)[0]
    assert message in summary and f'href="#id_{field}"' in summary
    # Nothing typed is lost, and nothing is saved half-way.
    assert 'value="Volunteer driver"' in page
    person = Person.objects.get(user=charlie)
    assert person.preferred_channel == "web" and person.job_title != "Volunteer driver"


@pytest.mark.django_db
def test_with_the_detail_the_channel_is_saved_and_web_needs_none(client, charlie):
    client.force_login(charlie)
    response = _post(client, preferred_channel="post", address="4 Harbour Row\nEastdale")
    assert response.status_code == 302
    assert Person.objects.get(user=charlie).preferred_channel == "post"
    assert _post(client, preferred_channel="web").status_code == 302
    assert Person.objects.get(user=charlie).preferred_channel == "web"
