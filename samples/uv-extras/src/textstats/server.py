"""The HTTP service: POST text to /stats, GET /healthz."""
import argparse

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from textstats import count_words


async def stats(request):
    text = (await request.body()).decode("utf-8", "replace")
    return JSONResponse({"words": count_words(text)})


async def healthz(request):
    return PlainTextResponse("ok")


app = Starlette(routes=[Route("/stats", stats, methods=["POST"]), Route("/healthz", healthz)])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    uvicorn.run(app, host="0.0.0.0", port=args.port)
