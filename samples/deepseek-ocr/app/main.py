"""DeepSeek-OCR behind FastAPI: upload an image, get its text back."""
import os
import pathlib

from fastapi import FastAPI, File, UploadFile

MODEL_PATH = os.environ.get("MODEL_PATH", "/models/deepseek-ocr")
UPLOADS = pathlib.Path("uploads")

app = FastAPI(title="deepseek-ocr")
_model = None


def model():
    """Loads the model on first use so the health check answers during start-up."""
    global _model
    if _model is None:
        from transformers import AutoModel, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(MODEL_PATH, trust_remote_code=True)
        net = AutoModel.from_pretrained(MODEL_PATH, trust_remote_code=True, use_safetensors=True)
        _model = (tokenizer, net.eval().cuda())
    return _model


@app.get("/health")
def health():
    return {"status": "ok"}


@app.post("/ocr")
async def ocr(file: UploadFile = File(...)):
    target = UPLOADS / pathlib.Path(file.filename or "upload").name
    target.write_bytes(await file.read())
    tokenizer, net = model()
    text = net.infer(tokenizer, prompt="<image>\nFree OCR.", image_file=str(target),
                     output_path="outputs", save_results=False)
    return {"text": text}
