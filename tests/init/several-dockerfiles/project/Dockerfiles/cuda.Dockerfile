FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
RUN apt-get update && apt-get install -y --no-install-recommends \
      python3.10 python3.10-venv python3-pip ffmpeg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt requirements-gpu.txt ./
RUN python3.10 -m pip install --no-cache-dir -r requirements-gpu.txt -r requirements.txt
COPY whisper_api/ whisper_api/
RUN mkdir -p /app/cache && chmod 777 /app/cache
ENV WHISPER_MODEL=large-v3 \
    XDG_CACHE_HOME=/app/cache
VOLUME /app/cache
EXPOSE 9000
ENTRYPOINT ["python3.10", "-m", "whisper_api"]
