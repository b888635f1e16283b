"""Which server certificates this device trusts. No Qt.

By default the usual authorities (what httpx trusts: certifi's bundle, or the
``SSL_CERT_FILE``/``SSL_CERT_DIR`` the environment names); a company that runs its
server with a certificate from its own authority gives that authority's certificate file
(``sfa login --ca-file``, or the sign-in window), which is then trusted *as well*. The file's
path is kept with the server address in the profile. There is deliberately no way to turn
certificate verification off.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx

from .errors import CaFileUnusable, CertificateNotTrusted


def checked_ca_file(path: str | Path) -> str:
    """The absolute path of a readable PEM file with at least one certificate, else
    :class:`CaFileUnusable`."""
    file = Path(path).expanduser()
    try:
        text = file.read_bytes()
    except OSError as error:
        raise _unusable(file, error.strerror or str(error)) from None
    if b"-----BEGIN CERTIFICATE-----" not in text:
        raise _unusable(file, "no PEM certificate in it")
    try:
        ssl.create_default_context(cafile=str(file))
    except ssl.SSLError as error:
        raise _unusable(file, error.reason or str(error)) from None
    return str(file.resolve())


def _unusable(file: Path, reason: str) -> CaFileUnusable:
    error = CaFileUnusable(f"cannot use the certificate file {file}: {reason}")
    error.path, error.reason = str(file), reason
    return error


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """Verify servers against the authorities httpx trusts by default (certifi's bundle, or
    ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set), plus ``ca_file``'s when given."""
    context = httpx.create_ssl_context()
    if ca_file:
        context.load_verify_locations(cafile=checked_ca_file(ca_file))
    return context


def certificate_problem(error: BaseException) -> CertificateNotTrusted | None:
    """The :class:`CertificateNotTrusted` behind a connection error, if that is what it was."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            reason = current.verify_message or current.reason or str(current)
            problem = CertificateNotTrusted(f"the server's certificate is not trusted: {reason}")
            problem.reason = str(reason)
            return problem
        current = current.__cause__ or current.__context__
    if "CERTIFICATE_VERIFY_FAILED" in str(error):  # the cause was not kept
        problem = CertificateNotTrusted(f"the server's certificate is not trusted: {error}")
        problem.reason = str(error)
        return problem
    return None
