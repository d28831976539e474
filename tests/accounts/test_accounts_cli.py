import sqlalchemy as sa

from matchmaker.accounts.models import Organisation, User
from matchmaker.accounts.services import authenticate
from matchmaker.extensions import db


def organisers(app):
    with app.app_context():
        return db.session.scalars(sa.select(User).where(User.role == "organiser")).all()


def test_create_organiser_creates_the_organiser_org_once(app, runner):
    args = ["users", "create-organiser", "--email", "Boss@Example.com", "--name", "主办人"]
    result = runner.invoke(args=[*args, "--password", "organiser-pass"])
    assert result.exit_code == 0, result.output
    assert "Created organiser boss@example.com" in result.output
    second = ["users", "create-organiser", "--email", "b@example.com", "--name", "乙"]
    assert runner.invoke(args=[*second, "--password", "organiser-pass"]).exit_code == 0
    with app.app_context():
        orgs = db.session.scalars(sa.select(Organisation)).all()
        assert [(o.kind, o.name, o.status) for o in orgs] == [("organiser", "主办方", "approved")]
        assert authenticate("boss@example.com", "organiser-pass").is_organiser


def test_create_organiser_refuses_a_duplicate_email(app, runner):
    args = ["users", "create-organiser", "--email", "boss@example.com", "--name", "甲"]
    assert runner.invoke(args=[*args, "--password", "organiser-pass"]).exit_code == 0
    result = runner.invoke(args=[*args, "--password", "organiser-pass"])
    assert result.exit_code == 1
    assert "该邮箱已注册" in result.output
    assert len(organisers(app)) == 1


def test_create_organiser_prompts_for_the_password(app, runner):
    args = ["users", "create-organiser", "--email", "p@example.com", "--name", "丙"]
    result = runner.invoke(args=args, input="prompted-pass\nprompted-pass\n")
    assert result.exit_code == 0, result.output
    assert "prompted-pass" not in result.output
    with app.app_context():
        assert authenticate("p@example.com", "prompted-pass") is not None


def test_create_organiser_refuses_a_short_password(app, runner):
    args = ["users", "create-organiser", "--email", "s@example.com", "--name", "丁"]
    result = runner.invoke(args=[*args, "--password", "short"])
    assert result.exit_code == 1 and "密码至少需要 8 个字符" in result.output
    assert organisers(app) == []


def test_create_expert(app, runner):
    args = ["users", "create-expert", "--email", "e@example.com", "--name", "赵专家"]
    result = runner.invoke(args=[*args, "--password", "expert-pass-1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        expert = db.session.scalar(sa.select(User).where(User.email == "e@example.com"))
        assert expert.role == "expert" and expert.organisation_id is None
