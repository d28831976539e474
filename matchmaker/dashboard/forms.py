"""Forms of the organiser console."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class UploadForm(FlaskForm):
    survey = FileField(_l("需求调查表（XLSX）"), validators=[FileRequired(_l("请选择文件。"))])


class CommitForm(FlaskForm):
    """Only the CSRF token: the rows come from the stored file, the template choices from
    the `template_<row>` fields, which the service checks again."""
