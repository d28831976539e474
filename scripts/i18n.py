"""Keep the English catalogue in step with the code.

    python scripts/i18n.py update            extract messages and update en/messages.po
    python scripts/i18n.py missing           list msgids that still lack an English translation
    python scripts/i18n.py merge A.po B.po   union the translations of two catalogues into en/messages.po

The msgids are the zh-CN texts (the default language), so an untranslated string still
renders in Chinese; `missing` exits 1 when anything is left, and CI runs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "matchmaker" / "translations"
POT = TRANSLATIONS / "messages.pot"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"


def _pybabel(*args: str) -> None:
    exe = Path(sys.executable).with_name("pybabel")
    subprocess.run([str(exe), *args], check=True, cwd=ROOT)


def update() -> None:
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "--no-location",
        "--sort-output",
        "-o",
        str(POT),
        ".",
    )
    _pybabel("update", "--no-fuzzy-matching", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", "en")


def missing() -> int:
    with EN_PO.open("rb") as fh:
        catalog = read_po(fh)
    left = [
        m.id
        for m in catalog
        if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    for msgid in left:
        print(msgid)
    return 1 if left else 0


def merge(*paths: str) -> None:
    with EN_PO.open("rb") as fh:
        target = read_po(fh)
    for path in paths:
        with open(path, "rb") as fh:
            for message in read_po(fh):
                known = message.id and message.id in target
                if known and message.string and not target[message.id].string:
                    target[message.id].string = message.string
    with EN_PO.open("wb") as fh:
        write_po(fh, target, omit_header=False, sort_output=True, no_location=True)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["missing"]
    if command == "update":
        update()
    elif command == "merge":
        merge(*rest)
    else:
        sys.exit(missing())
