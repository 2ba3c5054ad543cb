"""HTML and plain HTTP views."""

# The record's name in citations and feeds; a proper name, not translated.
SITE_NAME = "Censorship Tracker"
