"""答疑: who may ask and answer, when, what each viewer reads, who is notified, and the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from matchmaker.competitions import questions
from matchmaker.competitions.models import AuditEntry, ListingQuestion
from matchmaker.errors import InvalidTransition, NotAllowed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.needs.models import NeedFollow
from matchmaker.notifications.models import Notification
from tests.factories import login, make_need, make_org, make_user

from .builders import CLOSES, OPENS, apply, at, make_listing, make_round, make_vendor

QUESTION = "数据是否包含夜班的图像样本？"


@pytest.fixture
def qa(app_ctx):
    """An open listing of factory A; vendor A (with an application) and vendor B."""
    at(OPENS + timedelta(hours=1))
    organiser = make_user(role="organiser")
    factory = make_org("factory")
    owner = make_user(factory)
    need = make_need(factory, "published", owner)
    listing = make_listing(organiser, make_round(organiser), [need])
    _, vendor_a, offering_a = make_vendor()
    _, vendor_b, _ = make_vendor()
    _, follower, _ = make_vendor()
    db.session.add(
        NeedFollow(need_id=need.id, user_id=follower.id, organisation_id=follower.organisation_id)
    )
    db.session.commit()
    apply(vendor_a, offering_a, listing, submit=False)
    return {
        "organiser": organiser,
        "owner": owner,
        "listing": listing,
        "vendor_a": vendor_a,
        "vendor_b": vendor_b,
        "follower": follower,
    }


def _inbox(user, kind):
    query = select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    return list(db.session.scalars(query))


def test_a_vendor_asks_and_the_organiser_answers_publicly(qa):
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    assert _inbox(qa["organiser"], "question_asked")
    assert questions.visible(qa["vendor_a"], qa["listing"]) == []  # unanswered: the asker's
    assert questions.visible(qa["vendor_b"], qa["listing"]) == [question]
    assert questions.answer(qa["organiser"], question, "包含，约占三成。") is True
    for viewer in (None, qa["vendor_a"], qa["owner"], qa["follower"]):
        assert questions.visible(viewer, qa["listing"]) == [question]
    # The asker's organisation, the follower of the need and the applicant hear of it.
    for user in (qa["vendor_b"], qa["follower"], qa["vendor_a"]):
        assert _inbox(user, "question_answered"), user
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"ask_question", "answer_question"} <= set(actions)


def test_a_private_answer_is_read_by_the_asker_only(qa):
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    questions.answer(qa["organiser"], question, "涉及工艺参数，单独答复。", private=True)
    assert questions.visible(qa["vendor_b"], qa["listing"]) == [question]
    assert questions.visible(qa["vendor_a"], qa["listing"]) == []
    assert questions.visible(None, qa["listing"]) == []
    assert questions.public_answered(qa["listing"]) == []
    assert not _inbox(qa["follower"], "question_answered")
    assert _inbox(qa["vendor_b"], "question_answered")


def test_only_approved_vendors_ask(qa):
    with pytest.raises(NotAllowed):
        questions.ask(qa["owner"], qa["listing"], QUESTION)
    with pytest.raises(NotAllowed):
        questions.ask(qa["organiser"], qa["listing"], QUESTION)
    pending = make_user(make_org("vendor", approved=False))
    with pytest.raises(NotAllowed):
        questions.ask(pending, qa["listing"], QUESTION)
    assert db.session.scalar(select(ListingQuestion)) is None


def test_questions_close_with_the_window(qa):
    at(CLOSES + timedelta(minutes=1))
    with pytest.raises(InvalidTransition):
        questions.ask(qa["vendor_b"], qa["listing"], QUESTION)


def test_a_question_asked_before_the_close_can_still_be_answered(qa):
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    at(CLOSES + timedelta(days=1))
    assert questions.answer(qa["organiser"], question, "包含。")


def test_the_factory_answers_only_when_the_organiser_allows_it(qa):
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    with pytest.raises(NotAllowed):
        questions.answer(qa["owner"], question, "包含。")
    other_factory = make_user(make_org("factory"))
    assert questions.set_factory_answers(qa["organiser"], qa["listing"], True)
    with pytest.raises(NotAllowed):
        questions.answer(other_factory, question, "包含。")
    with pytest.raises(NotAllowed):
        questions.set_factory_answers(qa["owner"], qa["listing"], False)
    assert questions.answer(qa["owner"], question, "包含。")
    assert question.answered_by_id == qa["owner"].id


def test_bad_text_is_refused(qa):
    with pytest.raises(ValidationFailed) as err:
        questions.ask(qa["vendor_b"], qa["listing"], "  ？ ")
    assert "body" in err.value.fields
    with pytest.raises(ValidationFailed):
        questions.ask(qa["vendor_b"], qa["listing"], "长" * 1001)
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    with pytest.raises(ValidationFailed):
        questions.answer(qa["organiser"], question, "   ")


def test_double_submits_change_nothing(qa):
    first = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    assert questions.ask(qa["vendor_b"], qa["listing"], QUESTION + " ") is first
    assert questions.answer(qa["organiser"], first, "包含。") is True
    assert questions.answer(qa["organiser"], first, "包含。") is False
    with pytest.raises(InvalidTransition):
        questions.answer(qa["organiser"], first, "另一个回答")
    assert db.session.query(ListingQuestion).count() == 1


def test_pages_keep_the_asker_anonymous_and_the_typed_text(client, qa):
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    questions.answer(qa["organiser"], question, "包含，约占三成。")
    listing_url = f"/rounds/listings/{qa['listing'].id}"
    page = client.get(listing_url).get_data(as_text=True)
    assert QUESTION in page and "包含，约占三成。" in page
    assert qa["vendor_b"].organisation.name not in page
    login(client, qa["vendor_a"].email)
    response = client.post(f"{listing_url}/questions", data={"body": "短"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "请至少写 5 个字" in text and "\n短</textarea>" in text
    response = client.post(
        f"{listing_url}/questions", data={"body": "能否提供现场的网络条件说明？"}
    )
    assert response.status_code == 302
    response = client.post(f"/rounds/questions/{question.id}/answer", data={"answer": "好"})
    assert response.status_code == 403


def test_answer_form_for_organiser_and_404_for_hidden_questions(client, qa):
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    login(client, qa["vendor_a"].email)
    # Vendor A may not read vendor B's unanswered question: its id answers 404.
    response = client.post(f"/rounds/questions/{question.id}/answer", data={"answer": "好"})
    assert response.status_code == 404
    client.post("/logout")
    login(client, qa["organiser"].email)
    page = client.get(f"/rounds/listings/{qa['listing'].id}").get_data(as_text=True)
    assert "发布回答" in page and qa["vendor_b"].organisation.name in page
    assert f'for="answer-{question.id}"' in page and f'id="answer-{question.id}"' in page
    response = client.post(
        f"/rounds/questions/{question.id}/answer", data={"answer": "可以。", "private": "y"}
    )
    assert response.status_code == 302
    assert question.answer_private is True


def test_the_api_lists_what_the_caller_may_read(client, qa):
    asked = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    private = questions.ask(qa["vendor_b"], qa["listing"], "能否提供设备的 PLC 型号？")
    questions.answer(qa["organiser"], asked, "包含。")
    questions.answer(qa["organiser"], private, "单独答复。", private=True)
    body = client.get(f"/api/v1/listings/{qa['listing'].id}/questions").get_json()
    assert [(q["question"], q["answer"]) for q in body["items"]] == [(QUESTION, "包含。")]
    assert "organisation" not in body["items"][0]
    assert client.get("/api/v1/listings/987654/questions").status_code == 404


def test_the_organiser_lets_the_factory_answer_from_the_console(client, qa):
    login(client, qa["organiser"].email)
    url = f"/rounds/console/listings/{qa['listing'].id}"
    assert "允许发榜企业回答" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/qa", data={"factory_answers": "y"}).status_code == 302
    db.session.refresh(qa["listing"])
    assert qa["listing"].factory_answers is True
    assert questions.can_answer(qa["owner"], qa["listing"])
    client.post(f"{url}/qa", data={})
    db.session.refresh(qa["listing"])
    assert qa["listing"].factory_answers is False


def test_a_refused_form_lands_where_it_was_typed(client, qa):
    """Each 答疑 form posts to its own anchor, so the page that shows a refusal opens at the
    form and its message (on a phone the listing is long), and the console says what waits."""
    question = questions.ask(qa["vendor_b"], qa["listing"], QUESTION)
    listing_url = f"/rounds/listings/{qa['listing'].id}"
    login(client, qa["vendor_a"].email)
    response = client.post(f"{listing_url}/questions", data={"body": "短"})
    assert response.status_code == 422
    assert f'action="{listing_url}/questions#qa"' in response.get_data(as_text=True)
    client.post("/logout")
    login(client, qa["organiser"].email)
    console = client.get(f"/rounds/console/listings/{qa['listing'].id}").get_data(as_text=True)
    assert "1 个问题待回答" in console
    response = client.post(f"/rounds/questions/{question.id}/answer", data={"answer": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'action="/rounds/questions/{question.id}/answer#question-{question.id}"' in page
    assert "请填写回答" in page
    questions.answer(qa["organiser"], question, "包含。")
    console = client.get(f"/rounds/console/listings/{qa['listing'].id}").get_data(as_text=True)
    assert "待回答" not in console
