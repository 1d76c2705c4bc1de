"""From article text to places and draft events, offline."""
