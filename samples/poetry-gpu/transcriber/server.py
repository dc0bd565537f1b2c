"""The HTTP service: POST audio to /transcribe, GET /health."""
import argparse
import io
import os

import soundfile
import uvicorn
from fastapi import FastAPI, UploadFile
from transformers import pipeline

app = FastAPI()
_asr = None


def asr():
    global _asr
    if _asr is None:
        _asr = pipeline("automatic-speech-recognition", model=os.environ["WHISPER_MODEL"],
                        device=0)
    return _asr


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/transcribe")
async def transcribe(audio: UploadFile):
    samples, rate = soundfile.read(io.BytesIO(await audio.read()))
    return {"text": asr()({"raw": samples, "sampling_rate": rate})["text"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=9000)
    uvicorn.run(app, host="0.0.0.0", port=parser.parse_args().port)
