"""Views of the researchers' API."""
