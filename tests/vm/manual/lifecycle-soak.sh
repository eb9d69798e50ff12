# The 1000-cycle load/unload soak under socket churn (40-lifecycle-churn,
# which make check runs with 200, with more cycles; about 30 minutes per
# kernel under TCG). Run: make soak, or
# QEMU_TIMEOUT=7200 tests/qemu/run.sh 6.12 manual/lifecycle
# timeout: 6600
CYCLES=1000
. /tests/40-lifecycle-churn.sh
