"""Admin sign-in: the admin site class, two-factor authentication."""
