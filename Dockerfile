# One image for web, worker, beat and migrate (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 1000 tracker
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY --chown=tracker:tracker . .
# collectstatic needs settings that import cleanly; these values exist only
# for this build step.
RUN TRACKER_ENV=production SECRET_KEY=build-only-build-only-build-only-build-only-build-only \
    ALLOWED_HOSTS=build METRICS_TOKEN=build-only-build-only \
    python manage.py collectstatic --noinput

USER tracker
EXPOSE 8000
# gunicorn.conf.py: request metrics summed across the workers (see the file).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
