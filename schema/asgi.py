"""The ASGI entry point uvicorn serves: logs and tracing set up for the API, then the app."""

from config.logs import configure_logging
from config.settings import get_settings
from config.tracing import configure_tracing
from schema.app import create_app

configure_logging(get_settings(), process="api")
configure_tracing(get_settings(), service="api")
app = create_app()
