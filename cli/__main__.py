"""`python -m cli` runs the learngraph command."""

from cli.main import main

main()
