"""Lists the data files the image was built with."""
from pathlib import Path

print(Path("/srv/data/index.txt").read_text(), end="")
