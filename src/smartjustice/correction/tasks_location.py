"""Background jobs of 社区矫正 — part: location."""
