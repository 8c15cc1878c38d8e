"""E-mail over SMTP, with STARTTLS when configured (the certificate is checked)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ledger.notify.config import SmtpConfig


def tls_context(config: SmtpConfig) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if config.ca_file:
        context.load_verify_locations(cafile=config.ca_file)
    return context


def build(config: SmtpConfig, to: str, subject: str, body: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(message_id)
    message.set_content(body, charset="utf-8")
    return message


def send(config: SmtpConfig | None, to: str, subject: str, body: str, message_id: str) -> str:
    """Send one mail; ``""`` when the server took it, else what went wrong."""
    if config is None:
        return "SMTP is not configured (LEDGER_SMTP_HOST, docs/CONFIGURATION.md)"
    message = build(config, to, subject, body, message_id)
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
            if config.starttls:
                smtp.starttls(context=tls_context(config))
            if config.user:
                smtp.login(config.user, config.password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""
