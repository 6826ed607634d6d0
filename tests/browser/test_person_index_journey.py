"""An officer links a second referral to a person, sees the person page, and transfers a
case to another force, whose officer accepts it (issue 18). Every page on the way is
screenshotted and checked with axe-core.
"""

import datetime

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import LocalAuthority, PoliceForce, Role, Sector
from prevent_cms.registry import ensure_reference_data
from referrals.models import Referral
from tests.factories import PASSWORD, AgencyFactory, UserFactory
from tests.referrals import factories as rf

HOME = {
    "address": "12 Mill Lane",
    "postcode": "NB1 2AA",
    "date_of_birth": datetime.date(2007, 4, 3),
}


def test_an_officer_links_a_referral_and_transfers_a_case_that_is_accepted(
    journey, transactional_db
):
    ensure_reference_data()
    people = seed_people()
    officer = people["officer-a"]
    referrer = people["referrer-a"]
    earlier = rf.police_assessment(
        None,
        referrer=referrer,
        officer=officer,
        subject={"first_name": "Amie", "last_name": "Browne", **HOME},
    )
    ours = rf.police_assessment(
        None,
        referrer=referrer,
        officer=officer,
        subject={"first_name": "Amy", "last_name": "Browser", **HOME},
    )
    other_force = PoliceForce.objects.create(name="Thames Valley Police")
    westford = LocalAuthority.objects.create(name="Westford", police_force=other_force)
    receiving = UserFactory(
        username="officer-westford",
        agency=AgencyFactory(local_authority=westford, sector=Sector.POLICE),
        roles=[Role.PREVENT_OFFICER],
    )

    page = journey.page
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/referrals/{ours.pk}/")
    expect(
        page.get_by_role("heading", name="Possible earlier referrals of the same person")
    ).to_be_visible()
    expect(page.get_by_text("Same date of birth").first).to_be_visible()
    journey.check("case-with-match")

    page.get_by_role("link", name=f"Is this the same person? {earlier.reference}").click()
    expect(page.get_by_role("heading", name="Is this the same person?")).to_be_visible()
    journey.check("link")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    journey.check("link-errors")
    page.get_by_role("radio", name="Yes, link the referrals").check()
    page.get_by_label("How do you know?").fill("Same school, mother and date of birth.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("heading", name="Other referrals of this person")).to_be_visible()
    journey.check("case-linked")

    page.get_by_role("link", name="View the person").click()
    expect(page.get_by_role("heading", name="Referrals")).to_be_visible()
    expect(page.get_by_role("link", name=earlier.reference)).to_be_visible()
    expect(page.get_by_role("link", name=ours.reference)).to_be_visible()
    journey.check("person")

    page.get_by_role("link", name=ours.reference).click()
    page.get_by_role("link", name="Transfer the case to another area").click()
    journey.check("transfer")
    page.get_by_role("button", name="Request the transfer").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    journey.check("transfer-errors")
    page.get_by_label("Which local authority did the person move to?").select_option(
        label="Westford"
    )
    page.get_by_label("Why should the case move?").fill("The family moved to Westford.")
    page.get_by_role("button", name="Request the transfer").click()
    expect(
        page.get_by_role("heading", name="Transfer waiting for the receiving area")
    ).to_be_visible()
    journey.check("case-transfer-pending")
    journey.sign_out()

    journey.sign_in(receiving.username, PASSWORD)
    page.goto(f"{journey.url}/persons/transfers/")
    expect(page.get_by_role("heading", name=ours.reference)).to_be_visible()
    journey.check("transfers-waiting")
    page.get_by_role("button", name=f"Accept the transfer {ours.reference}").click()
    expect(page.get_by_text("Transfer accepted: the case is now in your area")).to_be_visible()
    journey.check("case-accepted")
    moved = Referral.objects.get(pk=ours.pk)
    assert moved.local_authority_id == westford.pk
    assert moved.state == "police_assessment"
