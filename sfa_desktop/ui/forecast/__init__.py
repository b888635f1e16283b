"""The Forecast workspace's parts: the period picker, the figure cards, the charts, the rep's
submission panel, the team review tree and its dialogs."""
