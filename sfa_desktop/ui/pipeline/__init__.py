"""The Pipeline workspace's parts: the board's column models, its card painter and view, the
deals list's model (the workspace itself is :mod:`sfa_desktop.ui.workspaces.pipeline`)."""
