"""Where webhooks may go (server-side request forgery): HTTPS only, never to this machine, a
private network, a link-local address (the cloud's metadata service) or what a name resolves
to among them; plain HTTP to 127.0.0.1 only where loopback is allowed (DEBUG and the tests)."""

import socket

import pytest

from webhooks import addresses, transport

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False


def test_loopback_is_allowed_in_the_tests_and_under_debug_only():
    from cadence import settings as project

    assert project.WEBHOOKS_ALLOW_LOOPBACK == project.DEBUG


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/cadence",
        "https://hooks.example.com:8443/cadence?team=1",
        "https://93.184.215.14/hook",
        "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/hook",
    ],
)
def test_public_https_addresses_are_accepted(production, url):
    assert addresses.problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "",
        "hooks.example.com/cadence",
        "ftp://hooks.example.com/",
        "https:///path-only",
        "https://hooks.example.com:99999/",
        "https://hooks.example.com/with space",
        "http://hooks.example.com/plain-http",
        "https://user:password@hooks.example.com/",
        "http://127.0.0.1:8000/hook",
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://10.0.0.5/hook",
        "https://172.16.3.4/hook",
        "https://192.168.1.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[fd00::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://[::ffff:169.254.169.254]/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_what_is_not_a_public_https_address_is_refused_in_production(production, url):
    assert addresses.problem(url)


def test_plain_http_only_to_this_machine_and_only_where_loopback_is_allowed():
    assert addresses.problem("http://127.0.0.1:8000/hook") is None
    assert addresses.problem("http://localhost:8000/hook") is None
    assert addresses.problem("http://10.0.0.5/hook")  # not this machine: still refused
    assert addresses.problem("http://hooks.example.com/hook")


def fake_dns(monkeypatch, *found):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in found
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "resolved",
    [
        ("10.1.2.3",),
        ("93.184.215.14", "192.168.0.4"),
        ("169.254.169.254",),
        ("::1",),
        ("127.0.0.1",),
    ],
)
def test_a_name_resolving_to_a_private_address_is_not_sent_to(production, monkeypatch, resolved):
    fake_dns(monkeypatch, *resolved)
    with pytest.raises(addresses.AddressRefused):
        addresses.resolve("innocent.example.com", 443)
    answer = transport.post("https://innocent.example.com/hook", b"{}", {})
    assert answer.status is None and "private network" in answer.error


def test_a_public_name_is_connected_to_at_the_address_checked(production, monkeypatch):
    """No second lookup between the check and the connection (DNS rebinding): the connection
    goes to the address the check saw."""
    fake_dns(monkeypatch, "93.184.215.14")
    connected = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError

    monkeypatch.setattr(socket, "create_connection", create_connection)
    answer = transport.post("https://rebinding.example.com/hook", b"{}", {})
    assert connected == [("93.184.215.14", 443)]
    assert answer.status is None and answer.error


def test_an_unknown_name_is_a_failure_logged(production, monkeypatch):
    def getaddrinfo(*args, **kwargs):
        raise socket.gaierror("not found")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    answer = transport.post("https://nowhere.example.com/hook", b"{}", {})
    assert answer.status is None and "not found" in answer.error
