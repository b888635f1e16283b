"""Why a sync (or a sign-in) stopped. Each error has a stable ``code`` the UI and CLI translate."""

from __future__ import annotations


class SyncError(Exception):
    """Sync could not finish; nothing already applied is lost and it can simply run again."""

    code = "sync_failed"
    #: seconds the server asked to wait before trying again (429)
    retry_after: float | None = None

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        if code is not None:
            self.code = code


class NotSignedIn(SyncError):
    """There is no server or no token for this profile: ``sfa login`` first."""

    code = "not_signed_in"


class SignInRequired(SyncError):
    """The server refused the token (revoked, expired or unknown): sign in again."""

    code = "sign_in_again"


class InvalidCredentials(SyncError):
    """Wrong e-mail or password at sign-in."""

    code = "invalid_credentials"


class ClientOutdated(SyncError):
    """The server needs a newer version of this app (HTTP 426)."""

    code = "client_outdated"
    #: the oldest protocol the server accepts (None: an older server that does not say)
    required_protocol: int | None = None
    #: where to get the latest app, when the server says (``SFA_CLIENT_DOWNLOAD_URL``)
    download_url: str | None = None


class ServerOutdated(SyncError):
    """The server is older than this app."""

    code = "server_outdated"


class ServerUnreachable(SyncError):
    """No answer from the server (network down, wrong address) after the retries."""

    code = "server_unreachable"


class ServerTimedOut(ServerUnreachable):
    """The server accepted the connection (or never completed it) but did not answer in time.

    Not retried: ``timeout_seconds`` is the one wait it cost.
    """

    code = "server_timeout"
    timeout_seconds: float | None = None


class ServerFailed(SyncError):
    """The server kept answering with an error (5xx, 429) after the retries."""

    code = "server_error"


class RateLimited(SyncError):
    """Too many attempts (sign-in): wait ``retry_after`` seconds (when the server said) and retry."""

    code = "rate_limited"


class ProtocolMismatch(SyncError):
    """The server answered something this client does not understand."""

    code = "bad_response"


class SyncBusy(SyncError):
    """Another sync of this profile is running."""

    code = "sync_busy"


class CertificateNotTrusted(SyncError):
    """The server's TLS certificate did not verify (an unknown authority, a wrong host name, an
    expired certificate). Not retried: it will not verify any better in a second.
    ``reason`` is what the TLS library said."""

    code = "certificate_not_trusted"
    reason: str = ""


class CaFileUnusable(SyncError):
    """The certificate authority file given for the server cannot be read or holds no
    certificate. ``path`` and ``reason`` say which and why."""

    code = "ca_file_unusable"
    path: str = ""
    reason: str = ""
