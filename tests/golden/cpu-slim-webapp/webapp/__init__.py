"""A tiny WSGI app for the cpu-slim-webapp golden case."""


def app(environ, start_response):
    body = b"ok\n" if environ.get("PATH_INFO") == "/healthz" else b"hello\n"
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]
