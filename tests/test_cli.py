"""The `portal` command of spec/api-core.md: users, tokens, demo data, errors on stderr."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner
from sqlalchemy import func, select

from portal.accounts.models import User
from portal.accounts.services import user_for_token
from portal.audit.models import AuditEvent
from portal.cases.models import Claim
from portal.cli import main
from portal.commands import AppLoader
from portal.notify.models import OutboxMessage


class _Runner:
    """`portal ...` run in-process against the test application (its AppLoader), as an operator would."""

    def __init__(self, app):
        self.loader = AppLoader(lambda: app)

    def invoke(self, args, input=None):
        return CliRunner().invoke(main, args, input=input, obj=self.loader)


def _runner(app):
    return _Runner(app)


def test_users_create_reads_the_password_from_stdin(app, session):
    result = _runner(app).invoke(
        args=["users", "create", "Officer@Example.test", "--role", "police", "--country", "bo", "--agency", "FELCC"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.email == "officer@example.test"))
    assert (user.role, user.country_code, user.agency) == ("police", "BO", "FELCC")


def test_users_create_refuses_bad_input_with_a_message_and_nonzero_exit(app, session):
    no_country = _runner(app).invoke(
        args=["users", "create", "p@example.test", "--role", "police"], input="a long enough password\n"
    )
    assert no_country.exit_code != 0 and "country" in no_country.output
    short = _runner(app).invoke(args=["users", "create", "f@example.test", "--role", "family"], input="short\n")
    assert short.exit_code != 0
    assert session.scalar(select(func.count(User.id))) == 0  # nothing half-written


def test_tokens_create_prints_only_the_token(app, session):
    runner = _runner(app)
    runner.invoke(args=["users", "create", "fam@example.test", "--role", "family"], input="a long enough password\n")
    result = runner.invoke(args=["tokens", "create", "fam@example.test", "--name", "phone"])
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert token.startswith("mpp_") and "\n" not in token
    assert user_for_token(session, token).email == "fam@example.test"
    unknown = runner.invoke(args=["tokens", "create", "nobody@example.test"])
    assert unknown.exit_code != 0 and not unknown.stdout.strip()


def test_demo_load_fills_an_empty_database_once(app, session):
    app.config["DEMO_MODE"] = True
    runner = _runner(app)
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "demo-password-2026" in first.output
    claims = session.scalar(select(func.count(Claim.id)))
    assert claims >= 5
    assert session.scalar(select(func.count(OutboxMessage.id))) == 0  # invented people's filing mails nobody
    assert runner.invoke(args=["demo", "load"]).exit_code != 0
    again = runner.invoke(args=["demo", "load", "--if-empty"])
    assert again.exit_code == 0 and session.scalar(select(func.count(Claim.id))) == claims


def test_demo_load_is_refused_outside_a_demonstration_site(app, session):
    assert app.config["DEMO_MODE"] is False  # the test settings, like production, are not a demo site
    result = _runner(app).invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "PORTAL_DEMO_MODE=1" in result.output
    assert session.scalar(select(func.count(User.id))) == 0


def test_risk_reassess_assesses_claims_without_an_assessment_and_is_idempotent(app, session):
    from portal.audit.rewrite import allow_rewrite
    from portal.flags.models import RiskAssessment

    app.config["DEMO_MODE"] = True
    runner = _runner(app)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    # As after upgrading a database filed before issue 4 (assessments are append-only: through the door).
    with allow_rewrite(session, "test.setup"):
        session.execute(RiskAssessment.__table__.delete())
    session.commit()
    claims = session.scalar(select(func.count(Claim.id)))
    first = runner.invoke(args=["risk", "reassess", "--batch", "2"])
    assert first.exit_code == 0 and f"assessed {claims} claims; {claims} with a new" in first.output
    assert session.scalar(select(func.count(func.distinct(RiskAssessment.claim_id)))) == claims
    again = runner.invoke(args=["risk", "reassess"])
    assert again.exit_code == 0 and "; 0 with a new or changed result" in again.output


def test_users_create_and_tokens_create_leave_the_same_audit_trail_as_the_pages(app, session):
    runner = _runner(app)
    runner.invoke(args=["users", "create", "fam@example.test", "--role", "family"], input="a long enough password\n")
    assert runner.invoke(args=["tokens", "create", "fam@example.test"]).exit_code == 0
    user = session.scalar(select(User).where(User.email == "fam@example.test"))
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.target_id, e.ip, e.actor_role) for e in events] == [
        ("account.create", str(user.id), "cli", "operator"),
        ("token.create", str(user.id), "cli", "family"),
    ]


def test_portal_link_loads_neither_flask_nor_sqlalchemy(tmp_path):
    records = tmp_path / "claims.csv"
    records.write_text(
        "id,given_names,first_surname,sex,birth_date,country\n"
        "C1,Rosa,Quispe,F,2010-05-14,BO\nC2,Rosa,Kispe,F,2010-05-14,PE\n",
        encoding="utf-8",
    )
    probe = (
        "import sys\n"
        "from portal.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy', 'werkzeug'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, "link", str(records), "-o", str(tmp_path / "out.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").startswith("left_id")


def test_commands_are_listed_without_loading_the_application():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for name in ("db", "demo", "link", "risk", "tokens", "users"):
        assert f"  {name} " in result.output
