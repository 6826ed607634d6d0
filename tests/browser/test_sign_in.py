from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people


def test_demo_user_signs_in_and_sees_home(journey, transactional_db):
    seed_people()
    page = journey.page
    page.goto(f"{journey.url}/accounts/login/")
    journey.check("sign-in")
    page.get_by_label("Username").fill("officer-a")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Enter a correct username and password").first).to_be_visible()
    journey.check("sign-in-error")
    journey.sign_in("officer-a", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="What needs your attention")).to_be_visible()
    expect(page.get_by_text("Signed in as Owen Officer")).to_be_visible()
    journey.check("home")
    page.goto(f"{journey.url}/no-such-page/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    journey.check("not-found")
    journey.sign_out()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    journey.check("signed-out")


def test_pages_work_without_javascript(browser, live_server, transactional_db):
    seed_people()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("referrer-a")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="What needs your attention")).to_be_visible()
    context.close()


def test_a_forgotten_password_is_set_again_from_the_emailed_link(journey, transactional_db):
    """Issue 20: from the sign-in page to a new password and signed in, axe clean throughout."""
    import re

    from django.core import mail

    people = seed_people()
    address = people["officer-a"].email
    page = journey.page
    page.goto(f"{journey.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    journey.check("password-reset")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("Enter your email address").first).to_be_visible()
    journey.check("password-reset-error")
    page.get_by_label("Email address").fill(address)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    journey.check("password-reset-sent")
    (message,) = [m for m in mail.outbox if address in m.to]
    link = re.search(r"http://\S+/accounts/password-reset/\S+/\S+/", message.body).group(0)
    page.goto(journey.url + link[link.index("/accounts/") :])
    expect(page.get_by_role("heading", name="Set a new password")).to_be_visible()
    journey.check("password-reset-new")
    page.get_by_label("New password", exact=True).fill("Marmalade-Lighthouse-47")
    page.get_by_label("Type the new password again").fill("Marmalade-Lighthouse-47")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    journey.check("password-reset-done")
    journey.sign_in("officer-a", "Marmalade-Lighthouse-47")
    expect(page.get_by_role("heading", name="What needs your attention")).to_be_visible()
    # The link was used: it no longer works.
    page.goto(journey.url + link[link.index("/accounts/") :])
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    journey.check("password-reset-used")


def test_signing_in_with_the_organisations_own_account(
    journey, transactional_db, settings, tmp_path
):
    """Issue 20: single sign-on in a real browser against a real OpenID provider (tests/oidc),
    from the sign-in page's work address to the home page, axe clean on our pages."""
    from tests.oidc import start_provider

    people = seed_people()
    officer = people["officer-a"]
    officer.email = "alice@council.example"
    officer.save(update_fields=["email"])
    provider = start_provider(
        redirect_uris=[f"{journey.url}/accounts/sso/callback/"], log_path=tmp_path / "oidc.log"
    )
    try:
        settings.OIDC_PROVIDERS = {"council": provider.entry()}
        page = journey.page
        page.goto(f"{journey.url}/accounts/login/")
        journey.check("sign-in-with-sso")
        page.get_by_label("Work email address").fill("head@school.example")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Sign in with your username and password").first).to_be_visible()
        journey.check("sign-in-sso-no-provider")
        page.get_by_label("Work email address").fill("alice@council.example")
        page.get_by_role("button", name="Continue").click()
        # The provider's own sign-in page (not ours: no axe check there).
        page.locator("input[name=login]").fill("alice")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="What needs your attention")).to_be_visible()
        expect(page.get_by_text("Signed in as Owen Officer")).to_be_visible()
        journey.check("home-after-sso")
    finally:
        provider.stop()
