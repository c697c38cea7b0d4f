"""What every command shares: the --config option, loading settings once, opening the database."""
from __future__ import annotations

import click

from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from storage.db import Database

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="YAML config file (default: $SCHOOLBOT_CONFIG, then ./config.yaml, then built-in defaults).",
)


def settings_from(config_path) -> Settings:
    try:
        settings = load_settings(config_path)
    except ConfigError as exc:
        raise click.ClickException(f"config: {exc}") from exc
    configure_logging(settings.log_level, settings.secret_values())
    return settings


def database_for(settings: Settings) -> Database:
    database = Database(settings.database.resolved_url())
    database.upgrade()
    return database
