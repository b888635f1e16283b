"""Sync in the desktop app: the controller that runs it in the background, the sign-in and
progress dialogs, the Sync menu commands and the Conflicts view's models."""
