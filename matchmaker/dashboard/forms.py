"""Forms of the organiser console."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import InputRequired, Regexp

from ..formtools import AppForm
from ..numbers import ID, BoundedIntegerField


class UploadForm(AppForm):
    survey = FileField(_l("需求调查表（XLSX）"), validators=[FileRequired(_l("请选择文件。"))])


class CommitForm(AppForm):
    """Only the CSRF token: the rows come from the stored file, the template choices from
    the `template_<row>` fields, which the service checks again."""


class MergeForm(AppForm):
    """One cluster's merge: the primary need picked, and the cluster's need ids as shown."""

    primary = BoundedIntegerField(
        _l("主需求"), bounds=ID, validators=[InputRequired(_l("请选择主需求。"))]
    )
    members = StringField(
        validators=[
            InputRequired(),
            Regexp(r"^\d{1,18}(,\d{1,18})*$", message=_l("需求编号无效。")),
        ]
    )

    @property
    def member_ids(self) -> list[int]:
        return [int(i) for i in self.members.data.split(",")]
