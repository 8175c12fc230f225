"""Patient registration, search and records."""
