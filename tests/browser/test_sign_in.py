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
