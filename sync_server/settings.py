"""Server settings: one object, read from ``SFA_*`` environment variables (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from sync_server.protocol.hlc import DEFAULT_MAX_DRIFT_MS
from sync_server.protocol.wire import DOWNLOAD_URL_PATTERN, MAX_DOWNLOAD_URL_LENGTH

DATABASE_FILE_NAME = "sfa-server.sqlite3"


def default_data_dir() -> Path:
    return Path(user_data_dir("sfa-server", appauthor=False))


class Settings(BaseSettings):
    """Everything the server can be told. ``SFA_DATABASE_URL`` picks PostgreSQL."""

    model_config = SettingsConfigDict(env_prefix="SFA_", extra="ignore")

    #: folder for the default SQLite database (and anything else the server keeps on disk)
    data_dir: Path = Field(default_factory=default_data_dir)
    #: SQLAlchemy URL; empty means a SQLite file in ``data_dir``
    database_url: str | None = None
    database_pool_size: int = Field(default=10, ge=1, le=200)

    #: a device token stops working this many days after login (0: never)
    token_ttl_days: int = Field(default=365, ge=0)
    #: failed logins allowed per account / per client address inside the window
    login_max_failures_per_account: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=30, ge=1)
    login_failure_window_seconds: int = Field(default=15 * 60, ge=1)

    #: argon2id cost; the defaults follow argon2-cffi (tests lower them to stay fast)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)

    #: client clock stamps further ahead of the server clock than this are clamped
    max_clock_drift_ms: int = Field(default=DEFAULT_MAX_DRIFT_MS, ge=0)
    #: after a reassignment the previous owner's devices may still push edits for this long
    left_scope_grace_days: int = Field(default=30, ge=0)
    #: request bodies larger than this are refused with 413
    max_request_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    #: responses at least this large are gzip-compressed for clients that accept it
    gzip_minimum_bytes: int = Field(default=1024, ge=0)
    #: where users get the latest SFA Desktop: sent with 426 ``client_outdated`` so an outdated
    #: app can say where to update (``SFA_CLIENT_DOWNLOAD_URL``; unset: the app says to ask)
    client_download_url: str | None = Field(
        default=None, max_length=MAX_DOWNLOAD_URL_LENGTH, pattern=DOWNLOAD_URL_PATTERN
    )

    #: serve HTTPS with this certificate chain (PEM) and private key (PEM, not encrypted);
    #: both or neither (``sfa-server serve --certfile/--keyfile`` override them)
    tls_certfile: Path | None = None
    tls_keyfile: Path | None = None
    #: addresses of reverse proxies / load balancers whose ``X-Forwarded-For`` and
    #: ``X-Forwarded-Proto`` headers are believed (comma-separated, ``*`` for any): the
    #: sign-in rate limit counts failures per real client address
    forwarded_allow_ips: str = "127.0.0.1,::1"

    def sqlalchemy_url(self) -> str:
        """The database URL to connect to (the default SQLite file when none is configured)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / DATABASE_FILE_NAME}"

    def uses_sqlite(self) -> bool:
        return self.sqlalchemy_url().startswith("sqlite")
