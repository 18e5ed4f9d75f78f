"""The demo world as plain declarative tables, kept apart from the code that loads them."""
