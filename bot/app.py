"""The Flask application factory. Platform adapters and the admin pages register here as blueprints."""
from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings, load_settings
from storage.db import Database


def create_app(settings: Settings | None = None, database: Database | None = None) -> Flask:
    """Build the app; tests pass their own settings and database, production loads config once."""
    settings = settings or load_settings()
    database = database or Database(settings.database.resolved_url())
    app = Flask(__name__)
    app.extensions["schoolbot.settings"] = settings
    app.extensions["schoolbot.database"] = database

    @app.get("/healthz")
    def healthz():
        try:
            with database.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok", database="ok")

    return app
