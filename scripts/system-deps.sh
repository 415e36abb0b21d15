#!/usr/bin/env bash
# Installs what the tests need from Debian's packages when it is missing: Chromium for the
# end-to-end browser test, PostgreSQL for the shared-deployment tests, DejaVu fonts for the PDF plan. Never skips: if it cannot
# install, it says what to install and fails.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# The PDF plan's font (matcher/plan_pdf.py): DejaVu Sans draws Latin, Greek, Cyrillic and Arabic script.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${need[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -q >/dev/null
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${need[*]}. Install them (apt-get install ${need[*]}) and run make test again." >&2
  exit 1
fi
