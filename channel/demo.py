"""Demo panels and cases through Channel (DESIGN.md §6). Used only by ``seed_demo``."""


def seed_channel(people) -> None:
    """Filled in below once the pages exist; a no-op keeps seed_demo working meanwhile."""
    return None
