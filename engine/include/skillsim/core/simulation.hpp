// Running a scenario: the public entry points of the engine in one include. The run driver
// (run.hpp) runs every replicate into Results; a replicate's state and the order of its monthly
// step are in replicate.hpp; the processes have a file each (docs/architecture.md).
#pragma once

#include "skillsim/core/replicate.hpp"
#include "skillsim/core/run.hpp"
#include "skillsim/core/tallies.hpp"
