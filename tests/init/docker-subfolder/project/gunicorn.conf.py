bind = "0.0.0.0:8000"
worker_class = "uvicorn.workers.UvicornWorker"
