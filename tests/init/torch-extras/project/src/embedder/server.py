import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}


def main():
    uvicorn.run(app, host="0.0.0.0", port=8000)
