"""Issue 19: each copy of a panel pack is worded in its recipient's language, whoever asked
for it. Read back with pdftotext (poppler), as a person's PDF reader would show it."""

import subprocess

import pytest
from django.utils import translation
from django.utils.formats import date_format

from channel.models import PanelPack
from channel.services.packs import panel_pack_request
from prevent_cms.models import Job
from tests.channel import factories as cf
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db

WELSH = [
    "Pecyn panel Channel",
    "Wedi’i baratoi ar gyfer",
    "Aelodau, presenoldeb a chworwm",
    "Camau gweithredu blaenorol",
    "Cynllun cymorth ac ymyriadau",
    "SWYDDOGOL-SENSITIF",
    "Tudalen 1 o",
]
ENGLISH = [
    "Channel panel pack",
    "Prepared for",
    "Members, attendance and quorum",
    "Previous actions",
    "Support plan and interventions",
    "Page 1 of",
]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
    return " ".join(done.stdout.split())  # words as read, whatever the lines


def test_each_copy_is_in_its_recipients_language(
    world, team, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    team.member.language = "cy"
    team.member.save(update_fields=["language"])
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, referral)
    with django_capture_on_commit_callbacks(execute=True):
        job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    welsh = pdf_text(PanelPack.objects.get(job=job, recipient=team.member).file.read(), tmp_path)
    english = pdf_text(PanelPack.objects.get(job=job, recipient=team.chair).file.read(), tmp_path)
    for words in WELSH:
        assert words in welsh, words
    for words in ENGLISH:
        assert words in english, words
        assert words not in welsh, words
    with translation.override("cy"):
        day = date_format(panel.date, "j F Y")
    assert day in welsh  # the dates are in Welsh too
    assert panel.date.strftime("%B") not in welsh  # not the English month
    assert referral.reference in welsh  # references and names stay as they are


def test_a_welsh_speaker_asking_makes_their_own_copy_in_welsh_and_the_others_in_theirs(
    world, team, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    team.chair.language = "cy"
    team.chair.save(update_fields=["language"])
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, referral)
    with django_capture_on_commit_callbacks(execute=True):
        job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    job.refresh_from_db()
    assert job.language == "cy"
    chair = pdf_text(PanelPack.objects.get(job=job, recipient=team.chair).file.read(), tmp_path)
    member = pdf_text(PanelPack.objects.get(job=job, recipient=team.member).file.read(), tmp_path)
    assert "Pecyn panel Channel" in chair
    with translation.override("cy"):
        concern = str(referral.assessments.get().concern_type)
    assert f"Math o bryder: {concern}." in chair  # stored in English, shown in Welsh
    assert "Channel panel pack" in member
    assert "Pecyn panel Channel" not in member
