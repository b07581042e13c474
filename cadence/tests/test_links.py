"""Links in e-mail and calendar feeds come from `SITE_URL`, through one helper."""

from cadence.links import site_host, site_link, site_url


def test_links_are_built_from_the_configured_site(settings):
    settings.SITE_URL = "https://cadence.example.com/"
    assert site_url() == "https://cadence.example.com"
    assert site_link("/goals/4/") == "https://cadence.example.com/goals/4/"
    assert site_host() == "cadence.example.com"
