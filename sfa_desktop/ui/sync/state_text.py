"""The words for a :class:`~.status_bar_state.SyncState`, in the current language (status bar, tooltips)."""

from __future__ import annotations

import datetime as dt

from babel import dates as babel_dates

from sfa_desktop.i18n import _, format_count, locale_for_formatting
from sfa_desktop.services.messages import error_text
from sfa_desktop.services.sync_types import SyncPhase, SyncProgress

from .status_bar_state import SyncState, SyncStateKind


def moment_text(at: dt.datetime, now: dt.datetime) -> str:
    """``10:42`` today, ``24/11/2026, 10:42`` another day (the computer's time zone)."""
    local, today = at.astimezone(), now.astimezone().date()
    locale = locale_for_formatting()
    if local.date() == today:
        return str(babel_dates.format_time(local.time(), format="short", locale=locale))
    return str(babel_dates.format_datetime(local, format="short", locale=locale))


def progress_text(progress: SyncProgress) -> str:
    """``Receiving 1.200 of 48.000`` / ``Sending 12``."""
    done = format_count(progress.done)
    if progress.phase is SyncPhase.PUSH:
        if progress.total:
            return _("Sending {done} of {total}").format(
                done=done, total=format_count(progress.total)
            )
        return _("Sending {done}").format(done=done)
    if progress.total:
        return _("Receiving {done} of {total}").format(
            done=done, total=format_count(progress.total)
        )
    return _("Receiving {done}").format(done=done)


def state_text(state: SyncState, now: dt.datetime) -> str:
    """The status bar's first words: where sync stands."""
    kind = state.kind
    if kind is SyncStateKind.NOT_SIGNED_IN:
        return _("Offline — not signed in")
    if kind is SyncStateKind.UNREACHABLE:
        if state.last_success_at is None:
            return _("Offline — server unreachable")
        return _("Offline — server unreachable · last sync {time}").format(
            time=moment_text(state.last_success_at, now)
        )
    if kind is SyncStateKind.SYNCING:
        if state.progress is not None and state.progress.done:
            return _("Syncing… {progress}").format(progress=progress_text(state.progress))
        return _("Syncing…")
    if kind is SyncStateKind.UP_TO_DATE:
        if state.last_success_at is None:
            return _("Up to date")
        return _("Up to date · last sync {time}").format(
            time=moment_text(state.last_success_at, now)
        )
    message = error_text(state.error) if state.error is not None else ""
    return _("Error: {message}").format(message=message.rstrip("."))


def state_tooltip(state: SyncState, now: dt.datetime) -> str:
    """What the state means and what to do; the last successful sync when it is not current."""
    kind = state.kind
    if kind is SyncStateKind.NOT_SIGNED_IN:
        lines = [
            _("Your changes are kept on this computer and sent when you sync."),
            _("Sign in (File → Sign in…) to sync with your company's server."),
        ]
    elif kind is SyncStateKind.UNREACHABLE:
        lines = [
            _(
                "The server cannot be reached. You can keep working: your changes are kept "
                "and sent as soon as it answers again."
            )
        ]
    elif kind is SyncStateKind.SYNCING:
        lines = [_("Sending your changes and receiving your colleagues'. Keep working.")]
    elif kind is SyncStateKind.UP_TO_DATE:
        lines = [_("Everything has been sent and received. Sync runs every few minutes.")]
    else:
        lines = [error_text(state.error) if state.error is not None else ""]
    if kind is not SyncStateKind.UP_TO_DATE and kind is not SyncStateKind.NOT_SIGNED_IN:
        if state.last_success_at is not None:
            lines.append(
                _("Last successful sync: {time}").format(
                    time=moment_text(state.last_success_at, now)
                )
            )
        else:
            lines.append(_("Not synced yet."))
    return "\n".join(line for line in lines if line)
