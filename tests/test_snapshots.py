"""tests/snapshots.py: a restored snapshot is the database (and upload folder) as it was taken,
ids included, whatever the test in between wrote or deleted."""

from __future__ import annotations

import io
import os

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from matchmaker.accounts.models import Organisation, User
from matchmaker.extensions import db
from matchmaker.files.models import Attachment
from matchmaker.files.services import attachment_path, save_upload
from tests import snapshots
from tests.factories import make_org, make_user

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def rows():
    users = db.session.execute(select(User.id, User.email).order_by(User.id)).all()
    orgs = db.session.execute(select(Organisation.id, Organisation.name).order_by(Organisation.id))
    return users, orgs.all()


def test_restore_brings_back_rows_ids_and_files(app_ctx):
    org = make_org("factory", name="甲厂")
    user = make_user(org, email="a@example.com")
    upload = FileStorage(io.BytesIO(PDF), filename="plan.pdf", content_type="application/pdf")
    attachment = save_upload(upload, "need", 1, user.id)
    db.session.commit()
    path = attachment_path(attachment)
    user_id, org_id = user.id, org.id
    before = rows()
    snapshot = snapshots.take("probe")

    db.session.delete(db.session.get(User, user_id))
    db.session.get(Organisation, org_id).name = "改过的名字"
    make_org("vendor", name="新来的")
    db.session.commit()
    os.remove(path)
    assert rows() != before

    snapshots.restore(snapshot)
    assert rows() == before
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    with open(path, "rb") as handle:
        assert handle.read() == PDF
    snapshots.restore(snapshot)  # twice is the same as once
    assert rows() == before
