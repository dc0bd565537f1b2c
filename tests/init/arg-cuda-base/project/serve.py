import argparse

import uvicorn

from detector.api import app

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    uvicorn.run(app, host="0.0.0.0", port=parser.parse_args().port)
