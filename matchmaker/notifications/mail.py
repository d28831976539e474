"""Outgoing e-mail, one message at a time in two steps, so that the outbox can decide between
them whether this message is still its to send (see outbox.py):

    transport.open()
    transport.stage(mail)    # MAIL FROM, RCPT TO, DATA and the content, without the final "."
    ...                      # the caller records the mail as sent (its commit point)
    transport.finish()       # the final "." — only now does the server accept the message
    transport.close()

An SMTP server takes a message only when it receives the final "." (RFC 5321 §4.1.1.4); a
connection that drops before it leaves nothing behind. Without MAIL_SERVER the mail is logged.
"""

from __future__ import annotations

import contextlib
import logging
import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY

log = logging.getLogger("matchmaker.mail")
CRLF = b"\r\n"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    message_id: str = ""


class TemporaryFailure(Exception):
    """Try again later (server unreachable, 4xx, connection lost before the final ".")."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx before the final ".")."""


class Refused(Exception):
    """The server answered the final "." with an error: it did not take the message."""

    def __init__(self, code: int, text: str):
        super().__init__(f"{code} {text}")
        self.permanent = code >= 500


class Unconfirmed(Exception):
    """The connection broke after the final "." was sent: the server may or may not have it."""


def transport_for(config) -> LogTransport | SmtpTransport:
    return SmtpTransport(config) if config.get("MAIL_SERVER") else LogTransport()


class LogTransport:
    def open(self) -> None:
        pass

    def stage(self, mail: Mail) -> None:
        self._mail = mail

    def finish(self) -> None:
        mail = self._mail
        log.info("mail (no MAIL_SERVER set) to=%s subject=%s\n%s", mail.to, mail.subject, mail.body)

    def abandon(self) -> None:
        pass

    def close(self) -> None:
        pass


class SmtpTransport:
    def __init__(self, config):
        self.host = config["MAIL_SERVER"]
        self.port = int(config.get("MAIL_PORT") or 25)
        self.timeout = float(config.get("MAIL_TIMEOUT") or 10)
        self.tls = bool(config.get("MAIL_USE_TLS"))
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD") or ""
        self.sender = config.get("MAIL_SENDER") or "matchmaker@localhost"
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        try:
            self.smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.tls:
                self.smtp.starttls()
            if self.username:
                self.smtp.login(self.username, self.password)
            self.smtp.ehlo_or_helo_if_needed()
        except (OSError, smtplib.SMTPException) as exc:
            self.abandon()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc

    def stage(self, mail: Mail) -> None:
        smtp = self.smtp
        if smtp is None:
            raise TemporaryFailure("not connected")
        try:
            self._expect(smtp.mail(self.sender), (250,), reset=True)
            self._expect(smtp.rcpt(mail.to), (250, 251), reset=True)
            self._expect(smtp.docmd("DATA"), (354,), reset=False)
            smtp.send(_dot_stuffed(message_bytes(mail, self.sender)))
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self.abandon()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc

    def _expect(self, reply: tuple[int, bytes], codes: tuple[int, ...], reset: bool) -> None:
        code, text = reply
        if code in codes:
            return
        message = f"{code} {text.decode(errors='replace')}"
        if reset:
            self.smtp.rset()
        else:
            self.abandon()
        raise (PermanentFailure if code >= 500 else TemporaryFailure)(message)

    def finish(self) -> None:
        try:
            self.smtp.send(b"." + CRLF)
            code, text = self.smtp.getreply()
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self.abandon()
            raise Unconfirmed(f"{type(exc).__name__}: {exc}") from exc
        if code != 250:
            raise Refused(code, text.decode(errors="replace"))

    def abandon(self) -> None:
        """Drop the connection without the final ".": the server discards a staged message."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def close(self) -> None:
        if self.smtp is None:
            return
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.smtp.quit()
        self.abandon()


def message_bytes(mail: Mail, sender: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    if mail.message_id:
        message["Message-ID"] = mail.message_id
    message.set_content(mail.body, cte="base64")
    data = message.as_bytes(policy=SMTP_POLICY)
    return data if data.endswith(CRLF) else data + CRLF


def _dot_stuffed(data: bytes) -> bytes:
    return re.sub(rb"(?m)^\.", b"..", data)
