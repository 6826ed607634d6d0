"""Measurements 7 and 9: a mixed workload against gunicorn on loopback (``bench.run`` drives
it), and the signed-in home page alone (``Floor``) for the saturation step.

Officers browse their queue and open cases, referrers look at their referrals and start one,
a chair opens the Channel dashboard. Accounts are the synthetic ones (``bench.synthetic``):
usernames are read from the ``BENCH_USERS`` JSON file written by ``bench.run``.
"""

import json
import os
import random
import re

from locust import HttpUser, between, constant, task

USERS = json.loads(open(os.environ["BENCH_USERS"]).read())  # noqa: SIM115
PASSWORD = os.environ["BENCH_PASSWORD"]
CASE = re.compile(r'href="(/referrals/[0-9a-f-]{36}/)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# The saturation step (issue 25) runs closed-loop: each user asks again as soon as answered.
CLOSED_LOOP = os.environ.get("BENCH_CLOSED_LOOP") == "1"


class SignedIn(HttpUser):
    abstract = True
    wait_time = constant(0) if CLOSED_LOOP else between(0.5, 2)
    role = ""

    def on_start(self):
        page = self.client.get("/accounts/login/", name="sign in (form)")
        token = CSRF.search(page.text).group(1)
        username = random.choice(USERS[self.role])
        self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
        )


class Officer(SignedIn):
    weight = 4
    role = "prevent_officer"

    @task(3)
    def queue(self):
        page = self.client.get("/referrals/queue/", name="officer queue")
        self.cases = CASE.findall(page.text) or getattr(self, "cases", [])

    @task(2)
    def case(self):
        if getattr(self, "cases", None):
            self.client.get(random.choice(self.cases), name="case page")


class Referrer(SignedIn):
    weight = 3
    role = "referrer"

    @task(3)
    def mine(self):
        self.client.get("/referrals/", name="my referrals")

    @task(1)
    def start_referral(self):
        page = self.client.get("/referrals/start/", name="start referral (form)")
        token = CSRF.search(page.text)
        if token:
            self.client.post(
                "/referrals/start/",
                {"csrfmiddlewaretoken": token.group(1)},
                headers={"Referer": f"{self.host}/referrals/start/"},
                name="start referral",
            )


class Chair(SignedIn):
    weight = 1
    role = "channel_chair"

    @task
    def dashboard(self):
        self.client.get("/channel/", name="chair dashboard")


class Floor(SignedIn):
    """The saturation step's floor (issue 25): the signed-in home page alone. Not part of
    the mix: ``bench.run`` names the classes each run uses (``MIX`` or this one)."""

    role = "prevent_officer"

    @task
    def home(self):
        self.client.get("/", name="home (floor)")
