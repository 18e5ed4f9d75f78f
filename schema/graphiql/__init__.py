"""GraphiQL served by the API itself: vendored, integrity-checked files and the page."""
