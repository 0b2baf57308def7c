"""Who the network is and how to reach it, for every page, letter, email and report.

Coordinators set it on the network settings page (`NetworkProfile`); a field left blank
there takes its `CAIRN_*` setting, and the name finally "Cairn"."""

from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.db import transaction

from cairn.core import audit
from cairn.core.models import NetworkProfile

PROFILE_PK = 1


@dataclass(frozen=True)
class Network:
    name: str
    about: str
    phone: str
    email: str
    postal_address: str

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email or self.postal_address)

    @property
    def named(self) -> bool:
        """Whether someone gave the network a name (letters need one)."""
        return self.name.strip() not in ("", "Cairn")


def _from_settings() -> dict[str, str]:
    return {
        "name": settings.NETWORK_NAME,
        "about": settings.NETWORK_ABOUT,
        "phone": settings.NETWORK_PHONE,
        "email": settings.NETWORK_EMAIL,
        "postal_address": settings.NETWORK_POSTAL_ADDRESS,
    }


def network() -> Network:
    """The network as configured now: the saved profile over the settings.

    One primary-key read, not cached: a cache would outlive test transactions and, with
    several web processes, serve an old name after a coordinator changed it."""
    values = _from_settings()
    row = NetworkProfile.objects.filter(pk=PROFILE_PK).values(*values).first()
    for key, saved in (row or {}).items():
        if saved and saved.strip():
            values[key] = saved.strip()
    return Network(
        name=values["name"].strip() or "Cairn",
        **{k: values[k].strip() for k in ("about", "phone", "email", "postal_address")},
    )


def saved_profile() -> dict[str, str]:
    """What coordinators saved (blank where the setting applies), for the settings form."""
    names = [f.name for f in fields(Network)]
    row = NetworkProfile.objects.filter(pk=PROFILE_PK).values(*names).first()
    return row or dict.fromkeys(names, "")


def defaults() -> dict[str, str]:
    """What each field falls back to when left blank."""
    values = _from_settings()
    values["name"] = values["name"].strip() or "Cairn"
    return values


def update_network(actor: Any, **values: str) -> Network:
    """Save the profile; the audit lists which fields changed, old and new."""
    names = {f.name for f in fields(Network)}
    unknown = set(values) - names
    if unknown:
        raise ValueError(f"not network fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        profile, _created = NetworkProfile.objects.select_for_update().get_or_create(pk=PROFILE_PK)
        changed = {}
        for key, value in values.items():
            value = (value or "").strip()
            if getattr(profile, key) != value:
                changed[key] = {"from": getattr(profile, key), "to": value}
                setattr(profile, key, value)
        if changed:
            profile.save()
            audit.record(
                actor,
                "network.updated",
                profile,
                "Network settings changed: " + ", ".join(sorted(changed)),
                changed=changed,
            )
    return network()
