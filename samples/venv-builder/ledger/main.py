"""The WSGI app and its console script."""
import os

import falcon
import psycopg2
from gunicorn.app.wsgiapp import run as gunicorn_run


class Health:
    def on_get(self, req, resp):
        resp.media = {"status": "ok"}


class Balance:
    def on_get(self, req, resp, account):
        with psycopg2.connect(os.environ.get("DATABASE_URL", "")) as conn, conn.cursor() as cur:
            cur.execute("SELECT coalesce(sum(amount), 0) FROM entries WHERE account = %s",
                        (account,))
            resp.media = {"account": account, "balance": str(cur.fetchone()[0])}


app = falcon.App()
app.add_route("/health", Health())
app.add_route("/accounts/{account}/balance", Balance())


def run():
    import sys
    sys.argv = ["gunicorn", "--bind", "0.0.0.0:8000", "ledger.main:app"]
    gunicorn_run()
