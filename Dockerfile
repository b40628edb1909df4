# Debian 13: its postgresql-client (17) runs pg_dump/pg_restore for backup_site and restore_site
# against any server up to 17 (compose runs 16); pg_dump refuses servers newer than itself.
FROM python:3.11-slim-trixie
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir ".[production]"
RUN DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=build-only \
    python manage.py compilemessages --ignore=.venv -v0 && \
    DJANGO_SETTINGS_MODULE=config.settings.production DJANGO_SECRET_KEY=build-only \
    python manage.py collectstatic --no-input -v0
RUN useradd --create-home forum && mkdir -p /data && chown forum /data
USER forum
EXPOSE 8000
