#!/usr/bin/env bash
# `npm run screenshots`: the client's cabinet pages (/cabinet, /cabinet/codes, /cabinet/support, /cabinet/company,
# /cabinet/sign-in) at desktop (1280 px) and phone (390 px) width, full page, in a signed-in person's session with a
# company's realistic data (test/screenshots/cabinet.screens.ts), written to
# docs/screenshots/cabinet-<page>-{desktop,phone}.png. Needs Chromium (apt-get install chromium, or CHROMIUM_PATH) with
# its Russian locale (chromium-l10n: else date fields and file pickers show English) and the Temporal CLI (installed
# here when missing). Extra arguments go to jest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ops/install-temporal-cli.sh
if [ -z "${CHROMIUM_PATH:-}" ] && [ -d /usr/lib/chromium/locales ] && [ ! -e /usr/lib/chromium/locales/ru.pak ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-l10n >/dev/null \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-l10n >/dev/null; } \
      || echo "screenshots: chromium-l10n could not be installed: Chromium's own texts will be in English" >&2
  else
    echo "screenshots: no Russian locale for Chromium (apt-get install chromium-l10n): its own texts will be in English" >&2
  fi
fi
npx jest --config test/screenshots/jest.config.js --runInBand "$@"
