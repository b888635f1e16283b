"""Exports to standard formats other programs open: vCard contacts, iCalendar visits."""
