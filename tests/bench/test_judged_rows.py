"""The bench table's verdicts: a bound is a ceiling, except the saturation row's, a floor."""

from bench.run import AtLeast, judged, saturation_row


def _saturation(mix: float, floor: float) -> dict:
    return {"mix": {"saturation_rps": mix}, "floor": {"saturation_rps": floor}}


def test_the_mix_below_three_quarters_of_the_floor_fails_the_saturation_row():
    (row,) = judged([saturation_row(_saturation(57.0, 114.0))])
    assert row["value"] == 0.5
    assert row["ok"] is False
    assert str(row["bound"]) == ">= 0.75"


def test_the_mix_at_three_quarters_of_the_floor_or_more_passes():
    assert judged([saturation_row(_saturation(75.0, 100.0))])[0]["ok"] is True
    assert judged([saturation_row(_saturation(120.0, 100.0))])[0]["ok"] is True


def test_every_other_bound_is_a_ceiling():
    rows = judged([("a", 1.9, 2.0), ("b", 2.1, 2.0), ("c", "3/3", "equal"), ("d", 7, None)])
    assert [row["ok"] for row in rows] == [True, False, True, None]
    assert AtLeast(0.75) == 0.75
