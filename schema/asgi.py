"""The ASGI entry point uvicorn serves."""

from schema.app import create_app

app = create_app()
