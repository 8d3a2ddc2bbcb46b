#!/bin/sh
# An auto-service: every direct child directory of global.auto_service_directory is a service.
# Without a service.yml the daemon writes one with defaults (start_command ./run.sh).
echo "hello from $(pwd) as $(id -un)"
exec sleep 3600
