"""The append-only audit log: who read or changed what, and every sign-in."""
