"""One message thread for the demo: vendor01 sent interest in factory01's newest published need
(public or summary-only) five days ago; the two then wrote to each other, one file attached.

Written through the real services with the clock frozen; loading twice creates nothing (the
thread is the marker).
"""

from __future__ import annotations

import io
from datetime import datetime

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from .. import clock
from ..accounts import services as accounts
from ..extensions import db
from ..messages import services as messages
from ..needs import engagement
from ..needs import states as need_states
from ..needs.models import Need
from .accounts import EMAIL_DOMAIN
from .timeline import days_ago

# A one-page PDF (real text) as the vendor's attached plan.
PLAN_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

CONVERSATION: tuple[tuple[str, float, int, str], ...] = (
    # (side, days ago, hour, text)
    (
        "vendor",
        5,
        14,
        "您好，我们看了需求，想确认两点：现场产线是否有固定工位可以加装相机？"
        "历史缺陷图片大约有多少张、是否已经标注？方案初稿见附件。",
    ),
    (
        "factory",
        4,
        10,
        "有固定工位，可以加装。历史缺陷图片约 3 万张，其中约 5000 张已按缺陷类型标注。"
        "下周二上午可以安排现场调研，请带上算法工程师。",
    ),
    (
        "vendor",
        3,
        16,
        "好的，下周二上午 9 点到厂，两位工程师同去。调研后一周内给出正式方案和报价。",
    ),
)


def _users():
    return (
        accounts.find_user_by_email(f"factory01@{EMAIL_DOMAIN}"),
        accounts.find_user_by_email(f"vendor01@{EMAIL_DOMAIN}"),
    )


def _need(factory_user) -> Need | None:
    query = (
        select(Need)
        .where(
            Need.owner_id == factory_user.organisation_id,
            Need.status == need_states.PUBLISHED,
            Need.confidentiality.in_(("public", "summary_only")),
        )
        .order_by(Need.published_at.desc())
    )
    return db.session.scalars(query).first()


def _at(days: float, hour: int) -> datetime:
    return days_ago(days, hour=hour)


def load_messages() -> int:
    """Create the demo thread when missing; returns the number of messages written."""
    factory_user, vendor_user = _users()
    if factory_user is None or vendor_user is None:
        return 0
    need = _need(factory_user)
    vendor_id = vendor_user.organisation_id
    if need is None or messages.thread_of(need, vendor_id) is not None:
        return 0
    with clock.frozen(_at(5, 11)):
        if need.confidentiality == "summary_only":
            engagement.accept_nda(vendor_user, need)
        if not messages.engaged(need, vendor_id):
            engagement.send_interest(
                vendor_user, need, "我们在同类产线做过视觉检测项目，希望进一步沟通。"
            )
    for n, (side, days, hour, text) in enumerate(CONVERSATION):
        author = vendor_user if side == "vendor" else factory_user
        files = [FileStorage(io.BytesIO(PLAN_PDF), filename="方案初稿.pdf")] if n == 0 else []
        with clock.frozen(_at(days, hour)):
            messages.send_message(author, need, vendor_id, text, f"demo-{n}", files)
    return len(CONVERSATION)
