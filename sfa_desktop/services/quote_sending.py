"""Sending a quote: its PDF and an e-mail draft to the customer, written to a folder.

:func:`send_quote` renders the PDF (the renderer of :mod:`.exports.quote_pdf`, in the account's
language unless told), builds an ``.eml`` draft — To: the quote's contact, subject and body in
the document's language, the PDF attached, ``X-Unsent: 1`` so mail programs (Outlook,
Thunderbird, Apple Mail) open it as a draft to review and send — and writes both next to each
other as ``<number>.pdf`` / ``<number>.eml`` (``<number>-r2.pdf`` from the second revision on).
Then, in the caller's transaction, the quote records the PDF's SHA-256, the send time and the
status ``sent``.

Each file is written through a temporary file renamed into place, and the quote is changed
(and checked by the shared rules) before the files appear: a refusal writes no file, and a
failed file write (raised as :class:`OSError`) removes the other file, so the caller's rollback
leaves nothing half-done. Opening the draft in the mail program is the UI's part.

Refused with :class:`DomainError`: ``quote_not_approved`` (only an approved quote is sent),
``quote_expired`` (its valid-until date has passed: revise it), ``quote_without_lines`` (no
item line), ``quote_already_revised`` (send the latest revision). A quote whose contact has no
e-mail address still gets its draft, with no recipient (:attr:`SentQuote.recipient` is None).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n.catalogs import load_translations
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.models.sales import QuoteLine

from .editing import EditContext, update_record
from .exports.files import write_atomically
from .exports.quote_document import DocumentLanguage, QuoteDocument
from .exports.quote_pdf import render_quote_pdf
from .exports.quote_pdf_style import LocaleFormats
from .quote_lifecycle import has_later_revision, live_quote
from .quotes import quote_detail, quote_document

__all__ = ["SENT_QUOTES_FOLDER", "SentQuote", "quote_file_stem", "send_quote", "sent_quotes_folder"]

#: The folder, in the profile's folder, where quotes are sent to unless told otherwise.
SENT_QUOTES_FOLDER = "sent-quotes"

_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True, slots=True)
class SentQuote:
    """The files written for a sent quote."""

    eml_path: Path
    pdf_path: Path
    #: the PDF's SHA-256 (hex), as stored on the quote
    sha256: str
    #: the draft's To: address; None when the quote has no contact with an e-mail address
    recipient: str | None = None


def sent_quotes_folder(profile_dir: Path) -> Path:
    """Where the quotes of the profile in ``profile_dir`` are written when sent (the default of
    ``sfa quote send``; the app may offer another)."""
    return profile_dir / SENT_QUOTES_FOLDER


def quote_file_stem(number: str, revision: int) -> str:
    """``Q-ANA-2026-0012`` (revision 1) or ``Q-ANA-2026-0012-r2``; safe as a file name."""
    stem = _UNSAFE.sub("_", number).strip("._") or "quote"
    return stem if revision <= 1 else f"{stem}-r{revision}"


def _check_sendable(session: Session, quote: dict[str, Any], quote_id: str, today: dt.date) -> None:
    number = quote["number"]
    if quote["status"] != "approved":
        raise DomainError(
            "quote_not_approved", params={"status": quote["status"], "number": number}
        )
    valid_until = quote["valid_until"]
    if isinstance(valid_until, dt.date) and valid_until < today:
        raise DomainError("quote_expired", params={"number": number, "valid_until": valid_until})
    has_items = session.scalar(
        select(QuoteLine.id)
        .where(
            QuoteLine.quote_id == quote_id,
            QuoteLine.deleted_at.is_(None),
            QuoteLine.kind == "item",
        )
        .limit(1)
    )
    if has_items is None:
        raise DomainError("quote_without_lines")
    if has_later_revision(session, quote_id):
        raise DomainError("quote_already_revised", params={"number": number})


def send_quote(
    session: Session,
    ctx: EditContext,
    quote_id: str,
    *,
    folder: Path,
    now: dt.datetime,
    language: str | None = None,
) -> SentQuote:
    """Write the quote's PDF and e-mail draft into ``folder`` (created if missing) and mark
    the quote sent; see the module docstring for what is refused and how nothing is left
    half-written. ``language`` (``"es"`` or ``"en"``: else ``invalid_choice``) defaults to
    the account's."""
    chosen = _language(language)
    today = now.astimezone(dt.UTC).date()
    quote = live_quote(session, quote_id)
    _check_sendable(session, quote, quote_id, today)
    document = quote_document(session, quote_id, chosen, today=today)
    detail = quote_detail(session, quote_id, today)
    assert document is not None and detail is not None
    pdf = render_quote_pdf(document)
    sha256 = hashlib.sha256(pdf).hexdigest()
    stem = quote_file_stem(document.number, document.revision)
    recipient = document.customer.contact_email or None
    sender = session.get(User, ctx.user_id) if ctx.user_id else None
    message = _draft(document, detail.totals.total, pdf, f"{stem}.pdf", sender, now)
    update_record(
        session,
        ctx,
        "quote",
        quote_id,
        {"sent_at": now.astimezone(dt.UTC), "pdf_sha256": sha256, "status": "sent"},
    )
    folder.mkdir(parents=True, exist_ok=True)
    pdf_path, eml_path = folder / f"{stem}.pdf", folder / f"{stem}.eml"
    write_atomically(pdf_path, pdf)
    try:
        write_atomically(eml_path, message.as_bytes())
    except BaseException:
        pdf_path.unlink(missing_ok=True)
        raise
    return SentQuote(eml_path, pdf_path, sha256, recipient)


def _language(language: str | None) -> DocumentLanguage | None:
    if language is None:
        return None
    if language == "es":
        return "es"
    if language == "en":
        return "en"
    raise DomainError(
        "invalid_choice", field="language", params={"value": language, "choices": "es, en"}
    )


def _draft(
    document: QuoteDocument,
    total: Decimal,
    pdf: bytes,
    filename: str,
    sender: User | None,
    now: dt.datetime,
) -> EmailMessage:
    """The e-mail draft: headers, the body in the document's language, the PDF attached."""
    t = load_translations(document.language)
    formats = LocaleFormats(document.language, document.currency)
    company = document.letterhead.company_name
    if document.revision > 1:
        subject = t.pgettext("quote email", "Quote {number}, revision {revision}")
    else:
        subject = t.pgettext("quote email", "Quote {number}")
    subject = subject.format(number=document.number, revision=document.revision)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = f"{subject} · {company}" if company else subject
    if sender is not None and sender.email:
        message["From"] = formataddr((sender.name, sender.email))
    if document.customer.contact_email:
        message["To"] = formataddr(
            (document.customer.contact_name, document.customer.contact_email)
        )
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["X-Unsent"] = "1"
    message.set_content(_body(document, t, formats, total, sender))
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


def _body(
    document: QuoteDocument,
    t: NullTranslations,
    formats: LocaleFormats,
    total: Decimal,
    sender: User | None,
) -> str:
    name = document.customer.contact_name
    greeting = (
        t.pgettext("quote email", "Hello {name},").format(name=name)
        if name
        else t.pgettext("quote email", "Hello,")
    )
    valid_until = (
        format_date(document.valid_until, format="long", locale=formats.locale)
        if document.valid_until
        else ""
    )
    if document.revision > 1:
        offer = t.pgettext(
            "quote email",
            "Please find attached our quote {number} (revision {revision}) for a total of "
            "{total}, tax included, valid until {valid_until}.",
        )
    else:
        offer = t.pgettext(
            "quote email",
            "Please find attached our quote {number} for a total of {total}, tax included, "
            "valid until {valid_until}.",
        )
    offer = offer.format(
        number=document.number,
        revision=document.revision,
        total=formats.money(total),
        valid_until=valid_until,
    )
    closing = t.pgettext("quote email", "Do not hesitate to contact me with any question.")
    regards = t.pgettext("quote email", "Kind regards,")
    signature = [
        part for part in ((sender.name if sender else ""), document.letterhead.company_name) if part
    ]
    return "\n\n".join([greeting, offer, closing, "\n".join([regards, *signature])]) + "\n"
