// How much memory this process may still use: the kernel's MemAvailable (/proc/meminfo), or
// less where a control group limits the process (cgroup v2 memory.max - memory.current, or
// v1 memory.limit_in_bytes - memory.usage_in_bytes). For the memory estimate's refusal
// (skillsim/core/memory_estimate.hpp). And how much it has used at most.
#pragma once

#include <cstdint>
#include <optional>

namespace skillsim::io {

/// Bytes available, or nothing where it cannot be read (not Linux).
std::optional<std::int64_t> available_memory();

/// This process's peak resident memory so far, in bytes: VmHWM (/proc/self/status), or
/// getrusage's ru_maxrss where that cannot be read. Not ru_maxrss first: it carries over fork and
/// exec, so a run started by a larger process (a Python session, a sweep driver) would report
/// that process's peak as its own.
std::int64_t peak_resident_memory();

} // namespace skillsim::io
