"""Vendor the design system from npm into matchmaker/static/vendor/ (no CDN at run time).

    python scripts/vendor_ui.py            # npm pack @tabler/core and @tabler/icons, copy, build the sprite

What it writes:
- vendor/tabler/css/tabler.min.css, vendor/tabler/js/tabler.min.js (Tabler, MIT; Bootstrap 5 inside)
  with their source-map comments removed (the maps are not shipped);
- vendor/tabler-icons/sprite.svg: one <symbol id="NAME"> per icon in ICONS, from @tabler/icons'
  outline SVGs (MIT), used by the `icon()` macro in templates/_macros.html as
  <svg><use href="…/sprite.svg#NAME"></svg> — a few kilobytes instead of a 500 kB web font.

Add an icon: put its Tabler name (https://tabler.io/icons) in ICONS and run the script again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

CORE = "@tabler/core@1.6.1"
ICON_PACKAGE = "@tabler/icons@3.35.0"
VENDOR = Path(__file__).resolve().parents[1] / "matchmaker" / "static" / "vendor"

ICON_NAMES = (
    "alert-triangle arrow-right award bell briefcase bulb building-factory-2 calendar calendar-event "
    "chart-bar check checklist chevron-left chevron-right circle-check circle-x clipboard-check "
    "clock coin cpu database download edit eye eye-off file-text filter flag help-circle history "
    "home hourglass info-circle language layout-dashboard layout-grid list-check lock logout mail "
    "map-pin menu-2 message-circle plus printer refresh robot search send settings shield-check "
    "speakerphone star tag target thumb-down ticket trash trophy upload user user-check users x"
)
ICONS = ICON_NAMES.split()  # noqa: SIM905 (one line per alphabetical run is easier to edit)

_SOURCE_MAP = re.compile(r"\n?/[*/][#@] sourceMappingURL=\S+(?: \*/)?\s*$")
_SVG = re.compile(r"<svg[^>]*>(.*)</svg>", re.S)
_BLANK_PATH = '<path stroke="none" d="M0 0h24v24H0z" fill="none"/>'


def _unpack(spec: str, into: Path) -> Path:
    name = (
        subprocess.run(
            ["npm", "pack", spec, "--silent"], cwd=into, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    target = into / name.removesuffix(".tgz")
    with tarfile.open(into / name) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def _copy_stripped(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_SOURCE_MAP.sub("\n", source.read_text(encoding="utf-8")), encoding="utf-8")


def _sprite(outline: Path) -> str:
    symbols = []
    for name in ICONS:
        body = _SVG.search((outline / f"{name}.svg").read_text(encoding="utf-8")).group(1)
        body = " ".join(body.replace(_BLANK_PATH, "").split())
        symbols.append(f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg">\n<!-- Tabler Icons (MIT), see LICENSE -->\n'
        + "\n".join(symbols)
        + "\n</svg>\n"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        core = _unpack(CORE, Path(scratch))
        icons = _unpack(ICON_PACKAGE, Path(scratch))
        _copy_stripped(core / "dist/css/tabler.min.css", VENDOR / "tabler/css/tabler.min.css")
        _copy_stripped(core / "dist/js/tabler.min.js", VENDOR / "tabler/js/tabler.min.js")
        (VENDOR / "tabler-icons").mkdir(parents=True, exist_ok=True)
        shutil.copy(icons / "LICENSE", VENDOR / "tabler-icons/LICENSE")
        sprite = _sprite(icons / "icons/outline")
        (VENDOR / "tabler-icons/sprite.svg").write_text(sprite, encoding="utf-8")
    print(f"vendored {CORE}, {ICON_PACKAGE} ({len(ICONS)} icons) into {VENDOR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
