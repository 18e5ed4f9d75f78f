"""The HTTP edge: what a request may carry before GraphQL sees it, and what every answer carries."""
