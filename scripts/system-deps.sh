#!/usr/bin/env bash
# Installs what Signpost needs from Debian's packages when it is missing: Chromium for the end-to-end
# browser test, PostgreSQL for the shared-deployment tests, and the PDF plan's fonts (DejaVu Sans; Noto
# for Urdu, Punjabi, Bengali, Hindi, Tigrinya and Chinese, which DejaVu lacks; SIL Open Font License).
#   scripts/system-deps.sh        everything `make test` needs. Never skips: if it cannot install, it says
#                                 what to install and fails.
#   scripts/system-deps.sh fonts  only the fonts (`make app`). If it cannot install them it says so and
#                                 goes on: plans in those languages then get English headings.
set -euo pipefail
mode=${1:-all}
need=()
if [ "$mode" = all ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium chromium-driver)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
# A font counts as present in SIGNPOST_PLAN_FONT_DIR (matcher/plan_fonts.py looks there first) or Debian's folders.
have_font() {
  local dir
  IFS=: read -ra dirs <<< "${SIGNPOST_PLAN_FONT_DIR:-}"
  for dir in "${dirs[@]}" /usr/share/fonts/truetype/dejavu /usr/share/fonts/truetype/noto /usr/share/fonts/opentype/noto; do
    [ -n "$dir" ] && [ -f "$dir/$1" ] && return 0
  done
  return 1
}
have_font DejaVuSans.ttf || need+=(fonts-dejavu-core)
for f in NotoNastaliqUrdu-Regular.ttf NotoSansGurmukhi-Regular.ttf NotoSansBengali-Regular.ttf \
         NotoSansDevanagari-Regular.ttf NotoSansEthiopic-Regular.ttf; do
  have_font "$f" || { need+=(fonts-noto-core); break; }
done
have_font NotoSansCJK-Regular.ttc || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
  echo "installing ${need[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo apt-get update -q >/dev/null
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
elif [ "$mode" = fonts ]; then
  echo "The PDF plan's fonts are missing: install ${need[*]} (apt-get install ${need[*]}) for plans in Urdu," \
       "Punjabi, Bengali, Hindi, Tigrinya and Chinese; until then those plans get English headings." >&2
else
  echo "The tests need these Debian packages: ${need[*]}. Install them (apt-get install ${need[*]}) and run make test again." >&2
  exit 1
fi
