"""Prints which variant packages and which base marker the image has, as JSON."""

import importlib.util
import json
import os

print(json.dumps({
    "microweb": importlib.util.find_spec("microweb") is not None,
    "marker": os.path.exists("/etc/e2e-marked"),
}))
