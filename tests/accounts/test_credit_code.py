import pytest

from matchmaker.accounts.credit_code import (
    CHARSET,
    WEIGHTS,
    check_character,
    make_credit_code,
    normalise_credit_code,
    validate_credit_code,
)

# Published codes (their check characters agree with GB 32100-2015).
REAL_CODES = ["91350100M000100Y43", "91440300708461136T"]


def test_weights_are_powers_of_three_mod_31():
    assert [pow(3, i, 31) for i in range(17)] == list(WEIGHTS)
    assert len(CHARSET) == 31 and not set("IOSVZ") & set(CHARSET)


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert validate_credit_code(code) is None


def test_make_credit_code_computes_the_check_character():
    assert make_credit_code("91350100M000100Y4") == "91350100M000100Y43"
    assert make_credit_code("91440300708461136") == "91440300708461136T"
    # A sum that is a multiple of 31 gives check character 0, not 31.
    assert check_character("00000000000000000") == "0"
    for seed in ("12440606000000001", "52440606MJ0000012", "Y1440606ABCDEFGH1"):
        assert validate_credit_code(make_credit_code(seed)) is None


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("", "18 位"),
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100Y433", "18 位"),
        ("91350100M000100I43", "只能包含"),
        ("91350100m000100Y43", "只能包含"),
        ("91350100M000100Y44", "校验位"),
        ("91440300708461136U", "校验位"),
    ],
)
def test_bad_codes_are_refused_with_a_reason(code, fragment):
    message = validate_credit_code(code)
    assert message is not None and fragment in message


def test_normalise_strips_blanks_and_upper_cases():
    assert normalise_credit_code(" 91350100m000100y43 \n") == "91350100M000100Y43"
    assert normalise_credit_code(None) == ""


def test_check_character_needs_17_valid_characters():
    with pytest.raises(ValueError):
        check_character("123")
    with pytest.raises(ValueError):
        check_character("O" * 17)
