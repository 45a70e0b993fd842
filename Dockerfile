# syntax=docker/dockerfile:1
# Build stage: install the app and its dependencies into a virtual environment.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY models ./models
COPY services ./services
COPY scheduler ./scheduler
COPY migrations ./migrations
# pyproject's dependencies bring uvicorn[standard]: `serve` runs on uvloop with httptools (wheels, no compiler).
RUN /opt/venv/bin/pip install .

# Runtime stage: only the virtual environment, run as an unprivileged user.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=3000 \
    DATABASE_URL=sqlite+aiosqlite:////data/followthrough.db
RUN useradd --create-home --uid 10001 followthrough && mkdir /data && chown followthrough /data
COPY --from=build /opt/venv /opt/venv
USER followthrough
WORKDIR /home/followthrough
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"3000\")}/healthz', timeout=4)"
CMD ["followthrough", "serve"]
