"""HTML to PDF on the server (WeasyPrint): the printable documents' text stays real, searchable text.

WeasyPrint lays the page out with Debian's pango and draws the Chinese with a CJK font from the
system (fonts-wqy-zenhei or fonts-noto-cjk; see README "Printable documents"). The document is our
own template: it fetches nothing, so any URL in it (a user could only ever put one in as escaped
text) is refused rather than fetched.
"""

from __future__ import annotations

import os

from flask import current_app

STYLESHEET = ("css", "document.css")


def _refuse(url: str, *args, **kwargs):
    raise ValueError(f"documents fetch no resources: {url[:80]}")


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML  # imported on use: pango is loaded only for a PDF

    css = os.path.join(current_app.static_folder, *STYLESHEET)
    return HTML(string=html, url_fetcher=_refuse).write_pdf(stylesheets=[CSS(filename=css)])
