#!/usr/bin/env bash
# Browser test: Debian's Chromium driven by playwright-core (npm) against
# `dossier serve` on a copy of the demo archive (or, where the repository
# has none, a site made by `dossier init`). See tests/browser/serve.test.mjs.
# Screenshots land in target/browser-shots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
(cd tests/browser && npm install --silent --no-audit --no-fund >/dev/null)
cargo build --release --quiet
bin="$PWD/target/release/dossier"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
site="$tmp/site"
mkdir "$site"
if [ -f config.toml ] && [ -d content/articles ]; then
  cp -r config.toml content "$site/"
  [ -d templates ] && cp -r templates "$site/"
  [ -d static ] && cp -r static "$site/"
else
  "$bin" init "$site" >/dev/null
fi
shots="$PWD/target/browser-shots"
rm -rf "$shots"
timeout 300 node tests/browser/serve.test.mjs "$bin" "$site" "$shots"
echo "browser test passed; screenshots: $shots"
ls "$shots"
