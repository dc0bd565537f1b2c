"""Routes GET paths to functions returning (status, JSON-able body)."""

import http.server
import json


class App:
    def __init__(self):
        self.routes = {}

    def get(self, path):
        def register(function):
            self.routes[path] = function
            return function

        return register

    def serve(self, host, port):
        routes = self.routes

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                function = routes.get(self.path.split("?", 1)[0])
                status, body = function() if function else (404, {"error": "not found"})
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        http.server.ThreadingHTTPServer((host, port), Handler).serve_forever()
