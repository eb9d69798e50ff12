# The 200-cycle load/unload soak under socket churn (40-lifecycle-churn
# with more cycles; about 20 minutes on 6.12 under TCG).
# Run: QEMU_TIMEOUT=3600 tests/qemu/run.sh 6.12 manual/lifecycle
# timeout: 3000
CYCLES=200
. /tests/40-lifecycle-churn.sh
