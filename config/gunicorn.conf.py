"""gunicorn for production (`make prod`, or `gunicorn -c config/gunicorn.conf.py config.wsgi`).

gthread workers: a keep-alive or slow client holds a socket in the worker's poller, not a thread, so two
idle connections no longer stall the site (the sync workers' failure); each worker runs THREADS requests at
once. TIMEOUT is the worker's heartbeat (a hung worker is replaced), not a cap on a request's length: exports
past a few thousand rows run as background jobs, and nothing a page does takes that long.
Settings come from the environment, as everywhere else.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is recycled now and then (memory a library may leak), never all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Request line and header limits stay gunicorn's; the body limit is Django's (413 on the API).
# X-Forwarded-* are believed only from the proxy in front (DJANGO_TRUSTED_PROXY_COUNT tells Django how many).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Django connections are opened per thread; the settings' CONN_MAX_AGE keeps them between requests.
preload_app = False
