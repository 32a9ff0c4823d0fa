"""Access-matrix subjects of 社区矫正 — part: education."""
