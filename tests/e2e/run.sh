#!/usr/bin/env bash
# Browser end-to-end test of the augmentation explorer: JupyterLab on a temporary copy of nbs/, headless Debian
# chromium driven by playwright-core. Prints "WIDGET-E2E: N passed, M failed"; screenshots go to $E2E_OUT
# (default tests/e2e/screenshots).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${E2E_OUT:-$here/screenshots}
mkdir -p "$out"
work=$(mktemp -d)
cp -r "${E2E_NBS:-$root/nbs}" "$work/nbs"; cp "$root/settings.ini" "$work/"  # the last cell of each notebook exports to $work/mtslvr
mkdir -p "$work/settings" "$work/config" "$work/runtime"
cat > "$work/settings/overrides.json" <<'JSON'
{
  "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false},
  "@jupyterlab/docmanager-extension:plugin": {"autosave": false}
}
JSON
export JUPYTER_CONFIG_DIR="$work/config" JUPYTER_RUNTIME_DIR="$work/runtime"
port=${E2E_PORT:-$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
token=$(python -c 'import secrets; print(secrets.token_hex(16))')
jupyter lab --no-browser --ip=127.0.0.1 --port="$port" --IdentityProvider.token="$token" --ServerApp.root_dir="$work/nbs" \
  --ServerApp.port_retries=0 --allow-root --LabApp.app_settings_dir="$work/settings" > "$out/jupyter.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/api/status?token=$token" > /dev/null && break
  kill -0 $pid 2>/dev/null || { echo "JupyterLab exited; log:"; cat "$out/jupyter.log"; exit 1; }
  sleep 0.5
done
node "$here/explorer.e2e.mjs" "http://127.0.0.1:$port" "$token" "$out"
