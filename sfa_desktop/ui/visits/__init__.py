"""The Visits workspace's parts: the agenda model, the plan and outcome dialogs, the export."""
