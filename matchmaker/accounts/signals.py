"""Signals the accounts package sends; the application wires them (see `create_app`).

`accounts` sits in the lowest feature layer beside `notifications` and may not import it,
so a service that must tell a user something sends `account_notice` inside its transaction:

    account_notice.send(user, kind="…", title="…", body="…", link="/login")

`create_app` connects it to `notifications.services.notify`, which adds the inbox entry to
the same transaction and e-mails the user after the commit (nothing is sent on rollback).

A mail that must not become an inbox entry (it carries a one-time link: password reset, e-mail
verification, an expert's invitation) goes by `account_mail`, straight into the outbox in
the user's language, also within the caller's transaction, and never collapsed with an
earlier one:

    account_mail.send(user, subject=_l("…"), body=_l("…"))

An organiser's change to an account (停用/重新启用) goes to the rounds' audit log by
`account_changed`, in the same transaction:

    account_changed.send(actor, user=user, action="disable_account",
                         before={"active": True}, after={"active": False})
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

account_notice = _signals.signal("account-notice")
account_mail = _signals.signal("account-mail")
account_changed = _signals.signal("account-changed")
