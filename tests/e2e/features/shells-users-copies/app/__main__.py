"""Serves /health on 127.0.0.1:<--port>, with the greeting it was started with."""

import argparse

import microweb

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--greeting", required=True)
args = parser.parse_args()
app = microweb.App()


@app.get("/health")
def health():
    return 200, {"status": "ok", "greeting": args.greeting}


app.serve("127.0.0.1", args.port)
