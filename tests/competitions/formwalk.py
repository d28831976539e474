"""Read the forms of a page as a browser would submit them, to walk edit paths: GET the edit
page, POST back exactly what it shows (optionally changed), and expect it to be accepted."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED_INPUTS = {"submit", "button", "file", "image", "reset"}


@dataclass
class PageForm:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)

    def names(self) -> set[str]:
        return {name for name, _value in self.fields}

    def data(self, button: str | None = None, **changes) -> dict:
        """The submitted body (repeated names become lists); `changes` replace values."""
        body: dict = {}
        for name, value in self.fields:
            if name in body:
                body[name] = (
                    [*body[name], value] if isinstance(body[name], list) else [body[name], value]
                )
            else:
                body[name] = value
        body.update(changes)
        if button:
            body[button] = ""
        return body


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = PageForm(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("name"):
            self._form.buttons.append(a["name"])
        elif tag == "select":
            self._select = {"name": a.get("name"), "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"name": a.get("name"), "text": ""}

    def _input(self, a):
        kind = a.get("type", "text").lower()
        if not a.get("name") or kind in SKIPPED_INPUTS or "disabled" in a:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields.append((a["name"], a.get("value") or "on"))
            return
        self._form.fields.append((a["name"], a.get("value", "")))

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = self._textarea["text"]
            text = (
                text[2:] if text.startswith("\r\n") else text[1:] if text.startswith("\n") else text
            )
            self._form.fields.append((self._textarea["name"], text))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._close_select()

    def _close_select(self):
        options = self._select["options"]
        chosen = [o for o in options if o["selected"]]
        if not chosen and options and not self._select["multiple"]:
            chosen = options[:1]  # a browser submits the first option
        for option in chosen:
            value = option["value"] if option["value"] is not None else option["text"]
            self._form.fields.append((self._select["name"], value))
        self._select = None


def page_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return [f for f in parser.forms if f.method == "post"]


def form_with(html: str, field_name: str) -> PageForm:
    """The page's POST form that has a field called `field_name`."""
    found = [f for f in page_forms(html) if field_name in f.names()]
    assert found, f"no form with {field_name!r} on the page"
    return found[0]
