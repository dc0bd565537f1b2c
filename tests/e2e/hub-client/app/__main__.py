"""Prints the model's files with their sizes: what hub-client.sh checks."""

import os

for parent, _, files in sorted(os.walk("/models/hub")):
    for name in sorted(files):
        path = os.path.join(parent, name)
        print(os.path.relpath(path, "/models/hub"), os.path.getsize(path))
