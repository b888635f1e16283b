"""The HTTPS certificate and key ``sfa-server serve`` is given, checked before uvicorn starts.

Both files or neither: a certificate without its key (or the reverse) is refused, and so is a
file that cannot be read or a pair that does not load together (wrong key, not PEM, a key
protected by a passphrase — uvicorn would ask for it on a terminal nobody watches).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from . import OperationFailed


class TlsProblem(OperationFailed):
    """The TLS files are incomplete or unusable (one line, for the operator)."""


@dataclass(frozen=True)
class TlsFiles:
    certfile: Path
    keyfile: Path


def _no_passphrase() -> bytes:
    raise TlsProblem("the TLS private key is protected by a passphrase: give an unencrypted key")


def tls_files(certfile: Path | None, keyfile: Path | None) -> TlsFiles | None:
    """The checked pair, ``None`` when neither is given; :class:`TlsProblem` otherwise."""
    if certfile is None and keyfile is None:
        return None
    if certfile is None or keyfile is None:
        given, missing = (
            ("--keyfile", "--certfile") if certfile is None else ("--certfile", "--keyfile")
        )
        raise TlsProblem(
            f"{given} was given without {missing}: HTTPS needs both the certificate and its "
            "key (SFA_TLS_CERTFILE and SFA_TLS_KEYFILE), or neither for plain HTTP"
        )
    for kind, path in (("certificate", certfile), ("private key", keyfile)):
        try:
            path.read_bytes()
        except OSError as error:
            raise TlsProblem(
                f"cannot read the TLS {kind} file {path}: {error.strerror or error}"
            ) from None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile, password=_no_passphrase)
    except ssl.SSLError as error:
        reason = error.reason or str(error)
        raise TlsProblem(
            f"the TLS certificate {certfile} and key {keyfile} do not load together ({reason}): "
            "give the PEM certificate chain and its unencrypted PEM key"
        ) from None
    return TlsFiles(certfile=certfile, keyfile=keyfile)
