import re

import pytest
import sqlalchemy as sa

from matchmaker import create_app
from matchmaker.accounts.models import Organisation, User
from matchmaker.config import TestConfig
from matchmaker.extensions import db, limiter
from tests.factories import DEFAULT_PASSWORD, credit_code, login, make_org, make_user


def form_data(**overrides):
    data = {
        "kind": "factory",
        "org_name": "佛山市某五金制品有限公司",
        "credit_code": credit_code(),
        "contact_name": "陈工",
        "contact_phone": "13912345678",
        "district": "南海区",
        "town": "狮山镇",
        "name": "陈一",
        "email": "chen@example.com",
        "password": "long-enough-1",
        "password2": "long-enough-1",
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_register_page_renders_both_kinds(client):
    html = client.get("/register").get_data(as_text=True)
    assert "需求方（工厂）" in html and "揭榜方（服务商）" in html and "统一社会信用代码" in html


def test_successful_registration_is_pending_and_logs_in_next(client, app_ctx):
    response = client.post("/register", data=form_data(kind="vendor", email="Chen@Example.com"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    user = db.session.scalar(sa.select(User))
    assert user.email == "chen@example.com" and user.role == "vendor_member"
    assert user.organisation.status == "pending"
    assert "请查收" in client.get("/login").get_data(as_text=True)
    login(client, "chen@example.com", "long-enough-1")
    html = client.get("/account").get_data(as_text=True)
    assert "待审核" in html and "佛山市某五金制品有限公司" in html


def test_registration_with_bad_credit_code_keeps_the_input(client, app_ctx):
    response = client.post("/register", data=form_data(credit_code="91350100M000100Y44"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "统一社会信用代码校验位不正确" in html
    assert 'value="佛山市某五金制品有限公司"' in html and 'value="chen@example.com"' in html
    assert 'value="91350100M000100Y44"' in html
    assert count(Organisation) == 0


def test_registration_with_duplicate_code_says_so(client, app_ctx):
    existing = make_user(make_org("factory"), email="chen@example.com")
    code = existing.organisation.credit_code
    response = client.post("/register", data=form_data(email="new@example.com", credit_code=code))
    assert response.status_code == 422
    assert "该统一社会信用代码已有机构注册" in response.get_data(as_text=True)
    assert count(Organisation) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password2": "something-else"}, "两次输入的密码不一致"),
        ({"password": "short", "password2": "short"}, "密码长度应为 8–128 个字符"),
        ({"contact_phone": "12345"}, "请输入手机号码或带区号的固定电话"),
        ({"email": "not-an-email"}, "请输入有效的邮箱地址"),
        ({"kind": "organiser"}, "请选择需求方（工厂）或揭榜方（服务商）"),
        ({"org_name": "  "}, "此项为必填项"),
    ],
)
def test_registration_field_errors(client, app_ctx, overrides, message):
    response = client.post("/register", data=form_data(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(User) == 0


def test_login_wrong_password_is_422_and_keeps_the_email(client, app_ctx):
    make_user(email="wang@example.com")
    response = client.post("/login", data={"email": "wang@example.com", "password": "nope"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "邮箱或密码不正确" in html and 'value="wang@example.com"' in html
    assert client.get("/account").status_code == 302


def test_login_follows_a_safe_next_only(client, app_ctx):
    user = make_user()
    response = login(client, user.email, next_url="/organisations/pending")
    assert response.headers["Location"] == "/organisations/pending"
    client.post("/logout")
    response = login(client, user.email, next_url="https://evil.example/")
    assert response.headers["Location"] == "/account"


def test_login_required_redirects_with_a_chinese_message(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "请先登录后再访问此页面" in html


def test_logout_requires_post(client, app_ctx):
    user = make_user()
    login(client, user.email)
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/account").status_code == 302


def test_deactivated_user_is_logged_out(client, app_ctx):
    user = make_user()
    login(client, user.email)
    user.active = False
    db.session.commit()
    assert client.get("/account").status_code == 302


def test_password_change(app, client, app_ctx):
    user = make_user()
    login(client, user.email)
    other_device = app.test_client()
    login(other_device, user.email)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong-password",
            "new_password": "brand-new-pass",
            "new_password2": "brand-new-pass",
        },
    )
    assert response.status_code == 422
    assert "当前密码不正确" in response.get_data(as_text=True)
    response = client.post(
        "/account/password",
        data={
            "current_password": DEFAULT_PASSWORD,
            "new_password": "brand-new-pass",
            "new_password2": "brand-new-pass",
        },
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200  # this session goes on
    assert other_device.get("/account").status_code == 302  # the other one has ended
    client.post("/logout")
    login(client, user.email, "brand-new-pass")


def test_nav_by_role(client, app_ctx):
    html = client.get("/").get_data(as_text=True)
    assert "/login" in html and "/register" in html and "机构审核" not in html
    member = make_user()
    login(client, member.email)
    html = client.get("/").get_data(as_text=True)
    assert "我的账户" in html and "退出" in html and "机构审核" not in html
    client.post("/logout")
    login(client, make_user(role="organiser").email)
    assert "机构审核" in client.get("/").get_data(as_text=True)


def test_organiser_approves_and_rejects(client, app_ctx):
    organiser = make_user(role="organiser")
    first = make_org("factory", approved=False, name="待审工厂甲")
    second = make_org("vendor", approved=False, name="待审服务商乙")
    login(client, organiser.email)
    html = client.get("/organisations/pending").get_data(as_text=True)
    assert "待审工厂甲" in html and "待审服务商乙" in html
    assert client.post(f"/organisations/{first.id}/approve").status_code == 302
    response = client.post(f"/organisations/{second.id}/reject", data={"reason": ""})
    assert response.status_code == 422
    assert "此项为必填项" in response.get_data(as_text=True)
    response = client.post(f"/organisations/{second.id}/reject", data={"reason": "资质不符"})
    assert response.status_code == 302
    db.session.expire_all()
    assert (first.status, second.status) == ("approved", "rejected")
    assert second.review_note == "资质不符"
    assert "暂无待审核的机构" in client.get("/organisations/pending").get_data(as_text=True)
    assert client.post(f"/organisations/{first.id}/approve").status_code == 409
    assert client.post("/organisations/999999/approve").status_code == 404


def test_member_cannot_review_organisations(client, app_ctx):
    org = make_org("factory", approved=False)
    login(client, make_user(make_org("factory")).email)
    assert client.get("/organisations/pending").status_code == 403
    assert client.post(f"/organisations/{org.id}/approve").status_code == 403
    assert client.post(f"/organisations/{org.id}/reject", data={"reason": "x"}).status_code == 403
    db.session.expire_all()
    assert org.status == "pending"


def test_pages_render_in_english(client):
    client.get("/lang/en")
    html = client.get("/register").get_data(as_text=True)
    assert "Unified social credit code" in html and "统一社会信用代码" not in html


def test_csrf_is_enforced_when_enabled(app):
    class CsrfConfig(TestConfig):
        WTF_CSRF_ENABLED = True

    csrf_client = create_app(CsrfConfig).test_client()
    response = csrf_client.post("/login", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 400
    assert client_logout_is_refused(csrf_client)
    page = csrf_client.get("/login").get_data(as_text=True)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)


def client_logout_is_refused(client) -> bool:
    return client.post("/logout").status_code == 400


def test_login_is_rate_limited(app):
    class LimitedConfig(TestConfig):
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"

    limited = create_app(LimitedConfig)
    try:
        limited_client = limited.test_client()
        statuses = [limited_client.post("/login", data={}).status_code for _ in range(10)]
        assert statuses == [422] * 10  # empty form: refused without touching the database
        response = limited_client.post("/login", data={})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0
        assert "请求过于频繁" in response.get_data(as_text=True)
        assert limited_client.get("/login").status_code == 200  # only POST is limited
    finally:
        # The limiter is a process-wide singleton: leave it as the session app expects.
        limiter.reset()
        limiter.enabled = False


def test_demo_accounts_on_a_special_use_domain_can_log_in(client, app_ctx):
    """Regression: the login form's address-format check refused …@demo.matchmaker.local."""
    make_user(role="organiser", email="organiser@demo.matchmaker.local")
    login(client, "organiser@demo.matchmaker.local")
    assert client.get("/account").status_code == 200
