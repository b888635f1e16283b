"""Use cases: sign-in, push/merge, pull, scopes, reassignment, audit and admin actions."""
