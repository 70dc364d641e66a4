"""Backups of the database (`flask db backup`) and restoring one into an empty database (`flask db restore`)."""


class BackupError(Exception):
    """A backup or restore that cannot be done, said in words an operator can act on."""
