"""SMS segment counting: GSM-7 against UCS-2, single against concatenated limits, characters never split."""

from __future__ import annotations

import pytest

from notifications.segments import GSM7
from notifications.segments import UCS2
from notifications.segments import Segments
from notifications.segments import count_segments
from notifications.segments import is_gsm7


def test_an_empty_text_takes_no_segment():
    assert count_segments("") == Segments(GSM7, 0, 0)


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)],
)
def test_gsm7_is_160_alone_and_153_a_part(length, segments):
    assert count_segments("a" * length) == Segments(GSM7, length, segments)


@pytest.mark.parametrize(
    ("length", "segments"),
    [(1, 1), (70, 1), (71, 2), (134, 2), (135, 3), (201, 3), (202, 4)],
)
def test_ucs2_is_70_alone_and_67_a_part(length, segments):
    assert count_segments("ж" * length) == Segments(UCS2, length, segments)


def test_a_russian_message_one_over_70_takes_two_segments():
    text = "Курьер с Вашими книгами уже в пути и приедет примерно в 13:45. Спасибо!"
    assert len(text) == 71
    assert count_segments(text) == Segments(UCS2, 71, 2)


@pytest.mark.parametrize("letter", list("әғқңөұүһіӘҒҚҢӨҰҮҺІ"))
def test_every_kazakh_letter_forces_ucs2(letter):
    assert count_segments(f"Kitap {letter}").encoding == UCS2


def test_one_character_outside_gsm7_makes_the_whole_text_ucs2():
    latin = "Your books arrive tomorrow between 10:00 and 14:00. " * 2  # 104 GSM-7 characters
    assert count_segments(latin) == Segments(GSM7, 104, 1)
    assert count_segments(latin + "ж") == Segments(UCS2, 105, 2)


def test_the_gsm7_basic_set_includes_its_accented_and_greek_letters():
    basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà"
    assert is_gsm7(basic)
    assert count_segments(basic).units == len(basic)
    assert not is_gsm7("ç")  # only the capital Ç is in the table
    assert not is_gsm7("«»")  # Russian quotes
    assert not is_gsm7("–")  # en dash


def test_extension_characters_count_two():
    assert count_segments("^{}\\[~]|€") == Segments(GSM7, 18, 1)
    assert count_segments("€" * 80) == Segments(GSM7, 160, 1)
    assert count_segments("€" * 81) == Segments(GSM7, 162, 2)


def test_an_extension_character_is_not_split_between_parts():
    # 306 septets would fit two parts of 153, but the € (escape + code) cannot straddle them.
    text = "a" * 152 + "€" + "a" * 152
    assert count_segments(text) == Segments(GSM7, 306, 3)


def test_characters_outside_the_bmp_count_two_utf16_units():
    assert count_segments("😀") == Segments(UCS2, 2, 1)
    assert count_segments("a" * 68 + "😀") == Segments(UCS2, 70, 1)
    assert count_segments("a" * 69 + "😀") == Segments(UCS2, 71, 2)


def test_a_surrogate_pair_is_not_split_between_parts():
    text = "ж" * 66 + "😀" + "ж" * 66
    assert count_segments(text) == Segments(UCS2, 134, 3)
