"""A fake group robot in its own process (python -m bench.fake_robot PORT): answers every push with errcode 0."""
import logging
import sys

from flask import Flask, jsonify
from werkzeug.serving import run_simple

app = Flask("bench-robot")
count = [0]


@app.post("/robot/send")
def send():
    count[0] += 1
    return jsonify(errcode=0, errmsg="ok")


@app.get("/received")
def received():
    return jsonify(count=count[0])


if __name__ == "__main__":
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    run_simple("127.0.0.1", int(sys.argv[1]), app, threaded=True)
