"""Developer tools that are not part of the reconsult package (test and benchmark data)."""
