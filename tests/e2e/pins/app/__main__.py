"""Prints the model's files with their sizes: what pins.sh checks."""

import os

for parent, _, files in sorted(os.walk("/models/tiny")):
    for name in sorted(files):
        path = os.path.join(parent, name)
        print(os.path.relpath(path, "/models/tiny"), os.path.getsize(path))
