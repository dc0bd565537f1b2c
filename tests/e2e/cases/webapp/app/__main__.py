"""Serves the app on 127.0.0.1:$PORT; /health says whether the model is there."""

import os

import microweb

MODEL_PATH = os.environ.get("MODEL_PATH", "/models/tiny-model")
app = microweb.App()


def model_files():
    found = []
    for parent, _, files in os.walk(MODEL_PATH):
        found.extend(os.path.relpath(os.path.join(parent, name), MODEL_PATH) for name in files)
    return sorted(found)


@app.get("/health")
def health():
    files = model_files()
    return (200 if files else 503), {"status": "ok" if files else "no model", "model_files": files}


@app.get("/")
def index():
    return 200, {"message": "hello from the e2e web app"}


if __name__ == "__main__":
    app.serve("127.0.0.1", int(os.environ.get("PORT", "8000")))
