"""People and a board for the partnership tests: the borough lead of borough A, the one of
borough B (same force) and people who keep no partnership records."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role
from partnership.models import Board, BoardMember
from partnership.services.boards import board_create, board_member_add
from tests.channel.conftest import reference_data, team  # noqa: F401  (fixtures for packs)

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501


def pdf_upload(name: str = "terms.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@dataclass
class People:
    lead: object
    lead_b: object
    chair: object
    officer: object


@pytest.fixture
def people(world) -> People:
    return People(
        lead=world.user(Role.BOROUGH_LEAD, agency=world.council_a),
        lead_b=world.user(Role.BOROUGH_LEAD, agency=world.council_b),
        chair=world.user(Role.CHANNEL_CHAIR, agency=world.council_a),
        officer=world.user(Role.PREVENT_OFFICER, agency=world.police_a),
    )


@dataclass
class BoardWithMembers:
    board: Board
    members: list[BoardMember]


@pytest.fixture
def board(world, people) -> BoardWithMembers:
    """Northbridge's board, quorate with three of its four members."""
    board = board_create(
        actor=people.lead, name="Northbridge Prevent Board", kind="prevent_board", quorum=3
    )
    members = [
        board_member_add(actor=people.lead, board_id=board.pk, name=name, agency=agency)
        for name, agency in (
            ("Chair Person", world.council_a),
            ("Police Member", world.police_a),
            ("Health Member", world.health_a),
            ("School Member", world.school_a),
        )
    ]
    return BoardWithMembers(board=board, members=members)
