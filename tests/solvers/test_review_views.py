import pytest

from tests.factories import login, make_offering, make_org, make_user


@pytest.fixture
def submitted(app_ctx, vendor):
    return make_offering(vendor.organisation, status="submitted", title="待审方案")


def test_queue_lists_submitted_offerings_only(client, submitted, organiser):
    make_offering(submitted.organisation, status="draft", title="草稿方案")
    login(client, organiser.email)
    html = client.get("/console/offerings/").get_data(as_text=True)
    assert "待审方案" in html and "草稿方案" not in html
    detail = client.get(f"/console/offerings/{submitted.id}").get_data(as_text=True)
    assert "审核通过" in detail and "退回修改" in detail and "驳回" in detail


def test_approve_through_the_queue(client, submitted, organiser):
    login(client, organiser.email)
    response = client.post(
        f"/console/offerings/{submitted.id}/approve", data={"comment": "同意发布"}
    )
    assert response.status_code == 302 and submitted.status == "published"
    review = submitted.reviews[-1]
    assert (review.actor_id, review.comment) == (organiser.id, "同意发布")
    html = client.get(f"/console/offerings/{submitted.id}").get_data(as_text=True)
    assert "同意发布" in html and organiser.name in html


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_reject_need_a_comment(client, submitted, organiser, action):
    login(client, organiser.email)
    response = client.post(f"/console/offerings/{submitted.id}/{action}", data={"comment": ""})
    assert response.status_code == 422
    assert "请填写意见" in response.get_data(as_text=True) and submitted.status == "submitted"
    response = client.post(
        f"/console/offerings/{submitted.id}/{action}", data={"comment": "缺少现场数据"}
    )
    assert response.status_code == 302
    assert submitted.status == ("returned" if action == "return" else "retired")


def test_wrong_action_or_state(client, submitted, organiser):
    login(client, organiser.email)
    assert client.post(f"/console/offerings/{submitted.id}/publish").status_code == 404
    assert client.post(f"/console/offerings/{submitted.id}/submit").status_code == 404
    client.post(f"/console/offerings/{submitted.id}/approve")
    assert client.post(f"/console/offerings/{submitted.id}/approve").status_code == 409
    assert client.post("/console/offerings/999999/approve").status_code == 404


def test_review_pages_are_for_organisers(client, submitted, vendor):
    for user in (vendor, make_user(make_org("factory")), make_user(role="expert")):
        login(client, user.email)
        assert client.get("/console/offerings/").status_code == 403
        assert client.post(f"/console/offerings/{submitted.id}/approve").status_code == 403
        client.post("/logout")
    assert submitted.status == "submitted"


def test_nav_links_by_role(client, app_ctx, vendor, organiser):
    html = client.get("/solutions/").get_data(as_text=True)
    assert "解决方案" in html and "我的方案" not in html and "方案审核" not in html
    login(client, vendor.email)
    assert "我的方案" in client.get("/solutions/").get_data(as_text=True)
    client.post("/logout")
    login(client, organiser.email)
    assert "方案审核" in client.get("/solutions/").get_data(as_text=True)
