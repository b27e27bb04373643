#!/usr/bin/env bash
# Validates the GitHub Pages workflows (the repository's own and the one
# `dossier init` writes) against the GitHub workflow schema.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet check-jsonschema
"$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows \
  .github/workflows/pages.yml src/init/skeleton/.github/workflows/pages.yml
