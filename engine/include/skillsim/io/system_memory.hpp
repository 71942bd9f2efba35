// How much memory this process may still use: the kernel's MemAvailable (/proc/meminfo), or
// less where a control group limits the process (cgroup v2 memory.max - memory.current, or
// v1 memory.limit_in_bytes - memory.usage_in_bytes). For the memory estimate's refusal
// (skillsim/core/memory_estimate.hpp).
#pragma once

#include <cstdint>
#include <optional>

namespace skillsim::io {

/// Bytes available, or nothing where it cannot be read (not Linux).
std::optional<std::int64_t> available_memory();

} // namespace skillsim::io
