# Dockerfile.naive with its install behind `make install` (tests/score/project/
# Makefile), and a tool built by a Makefile the build context does not hold.
FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN make install
RUN make -C /opt/tool
CMD ["python", "-m", "app"]
