"""Django's PostgreSQL backend with two savings per request (see base.py)."""
