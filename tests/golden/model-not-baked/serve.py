"""Loads the model from $MODEL_PATH (mounted or fetched at run time)."""
import os

from sentence_transformers import SentenceTransformer

model = SentenceTransformer(os.environ["MODEL_PATH"])
print(model.encode(["hello"]).shape)
