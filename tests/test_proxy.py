"""Behind a TLS proxy: its forwarding headers are believed, nobody else's."""

import ipaddress

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cairn.core.proxy import TrustedProxyMiddleware, client_address, parse_networks

PROXY = "10.0.0.2"


def through(settings, **meta):
    """The request as the views see it after TrustedProxyMiddleware."""
    settings.TRUSTED_PROXIES = [PROXY]
    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        seen["secure"] = request.is_secure()
        return HttpResponse()

    request = RequestFactory().get("/", **meta)
    TrustedProxyMiddleware(view)(request)
    return seen


def test_the_proxy_gives_the_client_address_and_scheme(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = through(
        settings,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen == {"addr": "198.51.100.7", "secure": True}


def test_anyone_else_cannot_claim_an_address_or_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = through(
        settings,
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert seen == {"addr": "203.0.113.9", "secure": False}


def test_addresses_the_client_wrote_before_the_proxy_are_ignored(settings):
    seen = through(settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert seen["addr"] == "198.51.100.7"


@pytest.mark.django_db
def test_a_site_behind_a_tls_proxy_does_not_redirect_forever(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    plain = client.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="http")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")


@pytest.mark.django_db
def test_the_lockout_keys_on_the_client_not_the_proxy(client, settings, charlie):
    settings.TRUSTED_PROXIES = [PROXY]
    url = reverse("login")
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for _ in range(6):
        client.post(url, {"login": "charlie", "password": "wrong"}, **attacker)
    locked = client.post(url, {"login": "charlie", "password": "pw-charlie"}, **attacker)
    assert locked.status_code == 429
    # Charlie, elsewhere but behind the same proxy, still logs in.
    real = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    response = client.post(url, {"login": "charlie", "password": "pw-charlie"}, **real)
    assert response.status_code == 302


@hypothesis_settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.ip_addresses().map(str),
            st.text(alphabet=st.characters(blacklist_characters=","), max_size=20),
        ),
        max_size=8,
    )
)
def test_the_client_address_is_never_one_the_client_could_invent_past_a_proxy(hops):
    networks = parse_networks([PROXY])
    address = client_address("203.0.113.9", ", ".join(hops), networks)
    assert address == "203.0.113.9"  # not from a proxy: headers mean nothing
    result = client_address(PROXY, ",".join(hops), networks)
    # From the proxy: one of the addresses in the chain, or the proxy itself.
    assert result == PROXY or result in {
        str(ipaddress.ip_address(h.strip().strip("[]"))) for h in hops if _valid(h)
    }


def _valid(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return False
    return True
