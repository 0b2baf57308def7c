"""The person page shows a postcode without a street as the postcode alone, not under a
dash that says there is no address."""

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "postcode", "shown"),
    [
        ("", "NS3 3AB", "NS3 3AB"),
        ("4 Harbour Row", "NS3 3AB", "4 Harbour Row<br>NS3 3AB"),
        ("4 Harbour Row", "", "4 Harbour Row"),
        ("", "", "—"),
    ],
)
def test_the_postal_address_line(client, charlie, address, postcode, shown):
    charlie.person.address, charlie.person.postcode = address, postcode
    charlie.person.save()
    client.force_login(charlie)
    page = client.get(reverse("members:person", args=[charlie.person.pk])).content.decode()
    cell = re.search(r"Postal address</dt><dd>(.*?)</dd>", page).group(1)
    assert cell == shown
