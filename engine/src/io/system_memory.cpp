#include "skillsim/io/system_memory.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace skillsim::io {

namespace {

// The first number in a file ("max" or a missing file: nothing).
std::optional<std::int64_t> number_in(const std::string& path) {
  std::ifstream in(path);
  std::int64_t value = 0;
  if (in >> value) return value;
  return std::nullopt;
}

// The cgroup path of this process ("0::/user.slice/..." for cgroup v2).
std::string own_cgroup_v2() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  return "";
}

} // namespace

std::optional<std::int64_t> available_memory() {
  std::optional<std::int64_t> available;
  {
    std::ifstream in("/proc/meminfo");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("MemAvailable:", 0) != 0) continue;
      std::istringstream fields(line.substr(13));
      std::int64_t kib = 0;
      if (fields >> kib) available = kib * 1024;
      break;
    }
  }
  const auto limit_by = [&](std::optional<std::int64_t> limit, std::optional<std::int64_t> used) {
    // Limits of 2^60 and more mean none (cgroup v1 writes 9223372036854771712).
    if (!limit || *limit >= (std::int64_t{1} << 60)) return;
    const std::int64_t left = std::max<std::int64_t>(0, *limit - used.value_or(0));
    available = available ? std::min(*available, left) : left;
  };
  const std::string v2 = "/sys/fs/cgroup" + own_cgroup_v2();
  if (number_in(v2 + "/memory.max") || number_in(v2 + "/memory.current"))
    limit_by(number_in(v2 + "/memory.max"), number_in(v2 + "/memory.current"));
  else
    limit_by(number_in("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
             number_in("/sys/fs/cgroup/memory/memory.usage_in_bytes"));
  return available;
}

std::int64_t peak_resident_memory() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) != 0) continue;
    std::istringstream fields(line.substr(6));
    std::int64_t kib = 0;
    if (fields >> kib) return kib * 1024;
    break;
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::int64_t>(usage.ru_maxrss) * 1024;
}

} // namespace skillsim::io
