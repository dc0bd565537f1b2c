"""Startup check: the settings file is where the image put it."""
import os
import sys

if not os.path.exists(os.environ.get("SETTINGS_FILE", "")):
    sys.exit("settings file missing")
