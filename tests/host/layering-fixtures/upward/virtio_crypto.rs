// Upward edges.
