"""HTML and plain HTTP views."""
