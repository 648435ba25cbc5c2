#!/usr/bin/env bash
# The whole test suite: formatting, lints, doc tests, the fuzz seed replay, then every unit,
# protocol, process and real-world test. Real-world tests need root (network namespaces);
# under CI=true a skipped one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-deps.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
if cargo tree -i aws-lc-sys --workspace >/dev/null 2>&1; then
    echo "aws-lc-sys is in the dependency tree: use the ring provider" >&2
    exit 1
fi
cargo test --workspace --doc --quiet
# The fuzz targets' seed corpus, replayed on stable (fuzz/ is outside the workspace).
cargo test --manifest-path fuzz/Cargo.toml --quiet
# Last, so that its summary closes the run.
cargo nextest run --workspace --no-fail-fast
