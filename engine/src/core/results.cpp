#include "skillsim/core/results.hpp"

#include <algorithm>
#include <ctime>

#include "skillsim/core/errors.hpp"

namespace skillsim {

namespace {
template <class Items>
auto find_named(Items& items, const std::string& name) {
  return std::find_if(items.begin(), items.end(), [&](const auto& item) { return item.name == name; });
}
} // namespace

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

const Dimension& Results::dimension(const std::string& name) const {
  auto it = find_named(dimensions, name);
  if (it == dimensions.end()) throw Error("results have no dimension '" + name + "'");
  return *it;
}

const Variable& Results::variable(const std::string& name) const {
  auto it = find_named(variables, name);
  if (it == variables.end()) throw Error("results have no variable '" + name + "'");
  return *it;
}

Variable& Results::variable(const std::string& name) {
  auto it = find_named(variables, name);
  if (it == variables.end()) throw Error("results have no variable '" + name + "'");
  return *it;
}

bool Results::has_variable(const std::string& name) const { return find_named(variables, name) != variables.end(); }

std::vector<std::size_t> Results::shape(const Variable& v) const {
  std::vector<std::size_t> sizes;
  for (const auto& d : v.dims) sizes.push_back(dimension(d).size());
  return sizes;
}

} // namespace skillsim
