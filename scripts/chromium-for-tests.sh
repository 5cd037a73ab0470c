#!/usr/bin/env bash
# Sourced by test.sh: the browser tests drive Debian's Chromium at /usr/bin/chromium (Playwright never downloads one).
# Installs it when missing and running as root; otherwise says plainly that the browser tests are skipped.

ensure_test_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "== Chromium is missing: installing Debian's chromium for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
      || { echo "!! Chromium install failed"; return 1; }
    [ -x /usr/bin/chromium ] || { echo "!! Chromium install did not provide /usr/bin/chromium"; return 1; }
  else
    echo "!! Chromium is not installed and this user cannot install it (not root):"
    echo "!! the browser tests of the staff console are SKIPPED (apt-get install chromium to run them)."
  fi
  return 0
}
