"""The settings for a command, or one line naming the setting that is missing or wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["load_settings"]


def load_settings() -> Settings:
    """Settings for the running command; its logs are set up too when run as `learngraph`."""
    from config.settings import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
    context = click.get_current_context(silent=True)
    if context is not None and (context.find_root().obj or {}).get("configure_logging"):
        from config.logs import configure_logging

        configure_logging(settings, process="cli")
    return settings
