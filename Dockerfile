# syntax=docker/dockerfile:1
# One image for every process of Prevent CMS: the web server (gunicorn), the Celery worker,
# Celery beat and the one-off migrate step. docker-compose.yml shows how they fit together.

# --- GOV.UK Frontend from npm; only its compiled files reach the final image ---------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- the application ---------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=prevent_cms.settings.production \
    MEDIA_ROOT=/var/lib/prevent-cms/media

# Pango (and HarfBuzz subsetting) for WeasyPrint's PDFs; Liberation fonts for their text.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
COPY --from=assets /build/node_modules/govuk-frontend/dist node_modules/govuk-frontend/dist
# Build-time only: collectstatic imports the settings, which need a SECRET_KEY. The running
# containers get the real one from the environment; this value is never used to sign anything.
RUN python scripts/build_assets.py \
    && SECRET_KEY=build-time-only-not-secret python manage.py collectstatic --no-input -v0 \
    && SECRET_KEY=build-time-only-not-secret python manage.py compilemessages -v0 \
    && rm -rf node_modules

# Run as an unprivileged user that owns nothing but the uploaded-files directory.
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin prevent \
    && mkdir -p "$MEDIA_ROOT" \
    && chown prevent:prevent "$MEDIA_ROOT"
USER prevent

EXPOSE 8000
# The access log names the path only (%(U)s), never the query string: searches carry names.
CMD ["gunicorn", "prevent_cms.wsgi", "--config=python:prevent_cms.gunicorn_conf", \
     "--bind=0.0.0.0:8000", "--workers=3", "--timeout=60", \
     "--access-logfile=-", "--access-logformat=%(h)s %(t)s \"%(m)s %(U)s\" %(s)s %(B)s %(M)sms"]
