// The one way the MPI code turns a failed MPI call into an Error (sweeps and split runs alike).
#pragma once

#include <mpi.h>

#include <cstddef>
#include <string>

#include "skillsim/core/errors.hpp"

namespace skillsim::mpi {

/// Throws an Error naming `what` and MPI's own text unless `status` is MPI_SUCCESS.
inline void check_mpi(int status, const char* what) {
  if (status == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(status, text, &length);
  throw Error(std::string("MPI: ") + what + ": " + std::string(text, static_cast<std::size_t>(length)));
}

} // namespace skillsim::mpi
