# Shared by the MPI shell tests (sourced, after checks.sh; needs MPIEXEC, SOURCE_DIR and PYTHON):
# `"${mpi[@]}" -n N COMMAND...` launches N ranks on this machine whatever its cores (as root
# too, as in CI), and `compare A.h5 B.h5` succeeds when the two results files hold the same
# results, bit for bit (scripts/compare-results.py).
compare() { "$PYTHON" "$SOURCE_DIR/scripts/compare-results.py" "$@" > /dev/null; }
mpi=("$MPIEXEC" --oversubscribe)
[ "$(id -u)" -eq 0 ] && mpi+=(--allow-run-as-root)
export OMPI_MCA_rmaps_base_oversubscribe=1
