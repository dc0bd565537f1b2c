#!/bin/sh
set -e
python scripts/prepare_assets.py --out /tmp/assets
if [ "$1" = "serve" ]; then
  exec celery -A worker.tasks worker --loglevel=info
fi
exec "$@"
