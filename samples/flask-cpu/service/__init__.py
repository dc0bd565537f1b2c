"""A tiny Flask service with a health endpoint."""
from flask import Flask, jsonify


def create_app():
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/hello/<name>")
    def hello(name):
        return jsonify(greeting=f"hello, {name}")

    return app
