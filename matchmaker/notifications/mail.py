"""Outgoing e-mail: SMTP when MAIL_SERVER is set, otherwise the message is logged."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

log = logging.getLogger("matchmaker.mail")


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def deliver(mails: list[Mail], config: dict) -> None:
    if not mails:
        return
    if not config.get("MAIL_SERVER"):
        for mail in mails:
            log.info(
                "mail (no MAIL_SERVER set) to=%s subject=%s\n%s", mail.to, mail.subject, mail.body
            )
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT", 25), timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            for mail in mails:
                smtp.send_message(_message(mail, config.get("MAIL_SENDER", "matchmaker@localhost")))
    except (OSError, smtplib.SMTPException):
        # The in-app notification is already committed; a mail failure must not undo it.
        log.exception("sending %d mail(s) failed", len(mails))


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    return message
