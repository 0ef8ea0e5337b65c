#!/bin/sh
# usage: sh scripts/audit.sh
# Fails on any high or critical advisory in production dependencies. When the registry offers no
# audit endpoint (this workplace's mirror answers 405), says so loudly instead of failing the build.
out=$(npm audit --omit=dev --audit-level=high 2>&1)
status=$?
printf '%s\n' "$out" | grep -v 'Unknown user config'
if [ "$status" -ne 0 ] && printf '%s' "$out" | grep -q 'audit endpoint returned an error'; then
  echo "npm audit: NOT CHECKED - the registry has no audit endpoint here (see above)." >&2
  exit 0
fi
exit "$status"
