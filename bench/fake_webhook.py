"""The fake DingTalk sessionWebhook in its own process, so its work doesn't slow the load generator.

    python -m bench.fake_webhook PORT
"""
import logging
import sys

from flask import jsonify
from werkzeug.serving import run_simple

from tests.servers import FakeDingTalk

fake = FakeDingTalk()


@fake.app.get("/received")
def received():
    return jsonify(count=len(fake.received))


if __name__ == "__main__":
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    run_simple("127.0.0.1", int(sys.argv[1]), fake.app, threaded=True)
