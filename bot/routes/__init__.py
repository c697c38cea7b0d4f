"""Flask blueprints: the HTTP edge of each platform. They verify, parse, acknowledge and hand over."""
