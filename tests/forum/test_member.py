"""The member home page (forum/views/member.py): each role finds its daily work from it."""

from django.urls import reverse

import pytest

from tests.forum.helpers import company_member, secretariat_user

pytestmark = pytest.mark.django_db


def test_secretariat_home_links_its_daily_screens(client):
    """The secretariat reaches its dashboard, the pairing board, the review list and the admin
    from its home; a company member sees none of these links."""
    screens = [
        reverse("forum:dashboard"),
        reverse("matching:board"),
        reverse("forum:review_list"),
        'href="/admin/"',
    ]
    client.force_login(secretariat_user())
    html = client.get(reverse("forum:member_home")).content.decode()
    assert all(screen in html for screen in screens)

    member, _organisation = company_member()
    client.force_login(member)
    html = client.get(reverse("forum:member_home")).content.decode()
    assert not any(screen in html for screen in screens)


def test_footer_offers_sign_up_only_to_visitors(client):
    """Signed out, the footer offers sign-up; signed in, it links the person's own page instead."""
    footer = client.get(reverse("search:search")).content.decode().split('class="site-footer')[1]
    assert reverse("account_signup") in footer

    member, _organisation = company_member()
    client.force_login(member)
    footer = client.get(reverse("search:search")).content.decode().split('class="site-footer')[1]
    assert reverse("account_signup") not in footer
    assert f'href="{reverse("forum:member_home")}"' in footer
