import argparse

from ocr.server import app

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=5000)
app.run(host="0.0.0.0", port=parser.parse_args().port)
