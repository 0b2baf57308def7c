import pytest
from django.contrib.auth.models import AnonymousUser, User

from cairn.core.roles import Role, has_role, role_of


@pytest.mark.django_db
def test_roles_come_from_groups(alice, bob, charlie):
    assert role_of(alice) == Role.COORDINATOR
    assert role_of(bob) == Role.FACILITATOR
    assert role_of(charlie) == Role.MEMBER


@pytest.mark.django_db
def test_a_superuser_is_a_coordinator():
    root = User.objects.create_superuser("root", password="x")
    assert role_of(root) == Role.COORDINATOR


def test_anonymous_has_no_role():
    assert role_of(AnonymousUser()) is None
    assert not has_role(AnonymousUser(), Role.MEMBER)


@pytest.mark.django_db
def test_higher_roles_include_lower_ones(alice, charlie):
    assert has_role(alice, Role.MEMBER)
    assert not has_role(charlie, Role.FACILITATOR)


@pytest.mark.django_db
def test_an_inactive_user_has_no_role(charlie):
    charlie.is_active = False
    assert role_of(charlie) is None
