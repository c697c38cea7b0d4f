"""What every command shares: the --config option, loading settings once, opening the database, and
the one place a UserError becomes what the person at the terminal reads."""
from __future__ import annotations

import click

from bot import texts
from bot.config import ConfigError, Settings, load_settings
from bot.errors import UserError
from bot.logs import configure_logging
from storage.db import Database

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="YAML config file (default: $SCHOOLBOT_CONFIG, then ./config.yaml, then built-in defaults).",
)


class CommandGroup(click.Group):
    """A command group whose commands may raise UserError: its message goes to stderr after 错误：
    (a ConfigError as click's "Error: config: …"), the exit code is 1, and no traceback is shown."""

    group_class = type   # its subgroups are CommandGroups too

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            raise click.ClickException(texts.CONFIG_ERROR.format(error=exc)) from exc
        except UserError as exc:
            click.echo(texts.ERROR_PREFIX + str(exc), err=True)
            ctx.exit(1)


def settings_from(config_path) -> Settings:
    settings = load_settings(config_path)
    configure_logging(settings.log_level, settings.secret_values())
    return settings


def database_for(settings: Settings) -> Database:
    database = Database(settings.database.resolved_url())
    database.upgrade()
    return database
