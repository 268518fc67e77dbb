import math
import random

import pytest

from certificates import codes


def test_generated_codes_have_55_random_bits_and_a_valid_check_symbol():
    assert math.log2(len(codes.ALPHABET)) * codes.RANDOM_SYMBOLS >= 50
    generated = {codes.generate() for _ in range(2000)}
    assert len(generated) == 2000
    for code in generated:
        assert len(code) == 12 and set(code) <= set(codes.ALPHABET)
        assert codes.normalise(code) == code


def test_display_groups_in_fours():
    assert codes.display("K7QM2WXD9TP4") == "K7QM-2WXD-9TP4"


def test_normalise_forgives_case_spaces_dashes_and_look_alikes():
    code = codes.generate()
    typed = codes.display(code).lower().replace("-", " - ")
    assert codes.normalise(typed) == code
    with_look_alikes = code.replace("0", "O").replace("1", "I")
    assert codes.normalise(with_look_alikes) == code
    assert codes.normalise(code.replace("1", "l")) == code


def test_every_single_symbol_mistake_is_caught():
    code = codes.generate()
    for position in range(len(code)):
        for symbol in codes.ALPHABET:
            if symbol != code[position]:
                wrong = code[:position] + symbol + code[position + 1 :]
                assert codes.normalise(wrong) is None


def test_most_neighbour_swaps_are_caught():
    rng = random.Random(7)
    caught = total = 0
    for _ in range(300):
        code = codes.generate()
        position = rng.randrange(len(code) - 1)
        if code[position] == code[position + 1]:
            continue
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        total += 1
        caught += codes.normalise(swapped) is None
    assert caught / total > 0.95


@pytest.mark.parametrize(
    "typed", ["", "ABC", "U" * 12, "K7QM-2WXD-9TP", "é" * 12, "X" * 500, None, "K7QM\x002WXD9TP4"]
)
def test_malformed_input_gives_none(typed):
    assert codes.normalise(typed) is None
