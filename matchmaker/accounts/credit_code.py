"""Unified social credit code (统一社会信用代码, GB 32100-2015): validation and generation.

A code has 18 characters from the 31-character set 0-9 and A-Y without I, O, S, V, Z.
Character 18 is a check character: with each of the first 17 characters mapped to its
index in that set and weighted by 3^(i) mod 31 (1, 3, 9, 27, 19, 26, …, 28),
check = 31 - (weighted sum mod 31), where 31 becomes 0.

Pure functions, no Flask: safe to use from demo-data scripts and tests.
"""

from __future__ import annotations

from flask_babel import gettext as _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUES = {ch: i for i, ch in enumerate(CHARSET)}


def normalise_credit_code(code: str | None) -> str:
    """Upper-case and strip blanks: what users type is compared in this form."""
    return "".join((code or "").split()).upper()


def check_character(first_17: str) -> str:
    """The 18th character for 17 valid characters."""
    if len(first_17) != LENGTH - 1 or any(ch not in _VALUES for ch in first_17):
        raise ValueError("need 17 characters from the credit-code character set")
    total = sum(_VALUES[ch] * w for ch, w in zip(first_17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate_credit_code(code: str | None) -> str | None:
    """None when `code` (already normalised) is valid, else a user-facing error message."""
    code = code or ""
    if len(code) != LENGTH:
        return _("统一社会信用代码应为 18 位。")
    if any(ch not in _VALUES for ch in code):
        return _("统一社会信用代码只能包含数字和除 I、O、S、V、Z 以外的大写字母。")
    if check_character(code[:-1]) != code[-1]:
        return _("统一社会信用代码校验位不正确，请核对后重新输入。")
    return None


def make_credit_code(seed: str) -> str:
    """A valid code from 17 characters of the set (demo data and tests)."""
    seed = normalise_credit_code(seed)
    return seed + check_character(seed)
