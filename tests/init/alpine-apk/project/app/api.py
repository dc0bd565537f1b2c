"""A falcon app with a health endpoint and one JSON resource."""
import falcon
import ujson


class Health:
    def on_get(self, req, resp):
        resp.text = ujson.dumps({"ok": True})


def create_app():
    app = falcon.App()
    app.add_route("/healthz", Health())
    return app
