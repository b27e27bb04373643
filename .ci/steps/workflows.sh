#!/usr/bin/env bash
# Validates the GitHub Pages workflows (the repository's own and the one
# `dossier init` writes) against the GitHub workflow schema, with
# check-jsonschema from PyPI (in a throwaway virtualenv).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
if ! python3 -m venv "$venv" 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check check-jsonschema
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows \
  .github/workflows/pages.yml src/init/skeleton/.github/workflows/pages.yml
