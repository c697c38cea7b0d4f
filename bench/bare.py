"""The baseline for the chat benchmark: a bare Flask endpoint, served the same way as the bot."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.post("/dingtalk/callback")
def callback():
    return jsonify({})
