FROM rocm/pytorch:rocm6.0_ubuntu22.04_py3.10_pytorch_2.1.1
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "-m", "whisper_api"]
