"""Running the server in production: TLS files, backups and restores, the ``check`` report."""


class OperationFailed(Exception):
    """An operator's command could not do its job (one line: what is wrong, what to do)."""
