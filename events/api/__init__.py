"""The researchers' REST API, versioned under /api/v1/."""
