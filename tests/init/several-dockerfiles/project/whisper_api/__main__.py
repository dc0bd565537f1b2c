import uvicorn

from whisper_api.server import app

uvicorn.run(app, host="0.0.0.0", port=9000)
