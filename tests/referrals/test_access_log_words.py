"""The access log says what happened in words, not the stored action and route codes."""

from django.urls import reverse

from referrals.audit_labels import action_label, via_label
from tests.referrals import factories as f


def test_the_access_log_reads_as_words(world, client):
    officer = f.officer_for(world)
    case = f.submitted(world)
    client.force_login(officer)
    client.get(reverse("referrals:detail", args=[case.pk]))
    page = client.get(reverse("referrals:access_log", args=[case.pk])).content.decode()
    assert "Viewed the case on its page" in page
    assert "referral.viewed" not in page
    assert "(page)" not in page


def test_unknown_codes_become_words_and_transitions_their_step():
    assert action_label("referral.transition.submit") == "Moved the case: Submit"
    assert action_label("channel.something_new") == "Channel something new"
    assert via_label("api_timeline") == "through the API"
