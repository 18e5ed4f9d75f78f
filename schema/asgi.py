"""The ASGI entry point uvicorn serves: logs set up for the API, then the app."""

from config.logs import configure_logging
from config.settings import get_settings
from schema.app import create_app

configure_logging(get_settings(), process="api")
app = create_app()
