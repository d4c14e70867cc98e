#!/usr/bin/env bash
# Installs everything isochron needs on a fresh Debian bookworm machine, and is fast (a few
# checks, no network) when everything is already there. Called by `npm start` and `npm test`.
#   - Debian packages: clickhouse-server, prometheus (promtool), docker-compose (validates docker-compose.yml), chromium (headless, for the
#     report rendering test), the headers
#     @confluentinc/kafka-javascript links to
#   - Apache Kafka jars from Maven Central (scripts/stack/kafka/pom.xml)
#   - node_modules (npm install from the lock file, building @confluentinc/kafka-javascript from source)
#   - a project-local Python venv with chdb (a current ClickHouse engine for portability tests)
#   - k6 for the load tests, built with Go (scripts/setup-k6.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HOME_DIR=${ISOCHRON_HOME:-$ROOT/.stack}
mkdir -p "$HOME_DIR"

say() { echo "[setup] $*"; }
die() { echo "[setup] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- Debian packages
APT_PKGS=(clickhouse-server clickhouse-client prometheus zlib1g-dev libssl-dev libsasl2-dev libzstd-dev liblz4-dev libcurl4-openssl-dev python3-venv chromium docker-compose)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || die "need root or sudo to install Debian packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
    SUDO=sudo
  fi
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install failed for: ${missing[*]}"
fi

# ---------------------------------------------------------------- Kafka jars
command -v java >/dev/null || die "java not found: install a JDK 17 (apt-get install openjdk-17-jre-headless)"
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' scripts/stack/kafka/pom.xml)
KAFKA_LIBS="$HOME_DIR/kafka-libs-$KAFKA_VERSION"
if [ ! -f "$KAFKA_LIBS/.complete" ]; then
  command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven) to fetch the Kafka jars"
  say "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (about a minute)"
  rm -rf "$KAFKA_LIBS"
  mvn -q -B -f scripts/stack/kafka/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS" -DincludeScope=runtime >"$HOME_DIR/mvn.log" 2>&1 \
    || die "fetching the Kafka jars failed; see $HOME_DIR/mvn.log"
  touch "$KAFKA_LIBS/.complete"
fi

# ---------------------------------------------------------------- node_modules
lock_hash=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -c1-16)
if [ "$(cat node_modules/.isochron-installed 2>/dev/null)" != "$lock_hash" ]; then
  say "installing node modules (builds @confluentinc/kafka-javascript from source, about 75 s)"
  # The prebuilt librdkafka binding cannot be downloaded here: link against Debian's libraries.
  export CKJS_LINKING=dynamic
  # `npm install` (not `npm ci`): it installs the locked versions too, and unlike `npm ci` it
  # accepts the lock file npm 11 writes without the other platforms' optional packages.
  npm install --no-audit --no-fund >"$HOME_DIR/npm.log" 2>&1 || die "npm install failed; see $HOME_DIR/npm.log"
  lock_hash=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
  echo "$lock_hash" > node_modules/.isochron-installed
fi

# ---------------------------------------------------------------- Python venv with chdb
CHDB_VERSION=$(sed -n "s/^chdb==//p" scripts/stack/requirements-chdb.txt)
if [ "$(cat .venv/.isochron-chdb 2>/dev/null)" != "$CHDB_VERSION" ]; then
  say "creating .venv with chdb $CHDB_VERSION (a current ClickHouse engine for the portability tests)"
  python3 -m venv .venv || die "python3 -m venv failed: install python3-venv"
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/stack/requirements-chdb.txt >"$HOME_DIR/pip.log" 2>&1 \
    || die "pip install chdb failed; see $HOME_DIR/pip.log"
  echo "$CHDB_VERSION" > .venv/.isochron-chdb
fi

# ---------------------------------------------------------------- k6 (load tests)
# Built with the Go toolchain from the Go module proxy into a cache outside the repository
# (the npm package named k6 is a placeholder); one `k6 version` call when cached.
bash scripts/setup-k6.sh || die "k6 is needed by the load tests (npm run load, test/load-smoke.int.test.ts)"
