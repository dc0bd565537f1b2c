"""Serves the app with waitress on $PORT."""
import os

from waitress import serve

from webapp import app

serve(app, host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
