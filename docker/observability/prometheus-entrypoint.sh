#!/bin/sh
# Prometheus reads bearer credentials from a file only: write ORIGIN_SECRET to one, then start.
set -eu
umask 077
printf '%s' "${ORIGIN_SECRET:-}" > /tmp/origin-secret
exec /usr/bin/prometheus \
  --config.file=/etc/imgflo/prometheus.yml \
  --storage.tsdb.path=/var/lib/prometheus/imgflo \
  --web.listen-address=127.0.0.1:9090 \
  "$@"
