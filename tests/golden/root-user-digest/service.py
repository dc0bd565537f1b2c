"""A WSGI app served by gunicorn in the root-user-digest golden case."""


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"running as root\n"]
