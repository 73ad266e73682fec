# Evently API (+ web app) image: slim Python, non-root, gunicorn.

# --- the web app (frontend/dist) ---------------------------------------------------------
FROM node:20-slim AS web
WORKDIR /web
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- the API -----------------------------------------------------------------------------
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PORT=8000
WORKDIR /app
RUN groupadd --system evently && useradd --system --gid evently --home /app evently
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --chown=evently:evently . .
COPY --from=web --chown=evently:evently /web/dist ./frontend/dist
# Static files are collected at build time; the secret is only needed to import settings.
RUN JWT_SECRET=build-only-not-a-secret-0123456789abcdef python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R evently:evently /app/staticfiles
USER evently
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/healthz', timeout=2)"
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn -c gunicorn.conf.py evently.wsgi"]
