# Source me: puts the project's broker and the newer librdkafka runtime on the paths.
# (Debian's librdkafka 2.0.2 cannot talk to Tansu; the 2.16 build from the confluent-kafka wheel
# is ABI-compatible with programs built against the 2.0.2 headers.)
_eco_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export ECO_ROOT="$_eco_root"
export ECO_TANSU="$_eco_root/.tools/bin/tansu"
export LD_LIBRARY_PATH="$_eco_root/.tools/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
unset _eco_root
