#!/usr/bin/env bash
# A longer leak fuzz than CI's: 50,000 events (2.5 million generated secrets) by default. Any seed that fails is
# printed in the test name; rerun it with CONSENTRY_FUZZ_SEED=<seed>.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONSENTRY_FUZZ_EVENTS="${CONSENTRY_FUZZ_EVENTS:-50000}"
npm run build
npm exec -- vitest run test/reliability/secrets-on-the-wire.test.ts --testTimeout=3600000
