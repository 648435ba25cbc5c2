#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit, protocol, process and real-world tests.
# Real-world tests need root (network namespaces); under CI=true a skipped one fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/test-deps.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo nextest run --workspace --no-fail-fast
# The fuzz targets' seed corpus, replayed on stable (fuzz/ is outside the workspace).
cargo test --manifest-path fuzz/Cargo.toml --quiet
cargo test --workspace --doc --quiet
if cargo tree -i aws-lc-sys --workspace >/dev/null 2>&1; then
    echo "aws-lc-sys is in the dependency tree: use the ring provider" >&2
    exit 1
fi
