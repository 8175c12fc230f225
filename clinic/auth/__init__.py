"""Staff accounts, roles, login and the per-route access policy."""
