"""The Today workspace's parts: the route, follow-ups and overdue-accounts models, the start
point dialog."""
