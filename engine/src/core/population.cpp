#include "skillsim/core/population.hpp"

namespace skillsim {

void Population::reserve(std::size_t n) {
  for_each_column([n](auto& column) { column.reserve(n); });
}

void Population::push_back(const Agent& a) {
#define SKILLSIM_PUSH(column_type, agent_type, name, default_value) name.push_back(static_cast<column_type>(a.name));
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_PUSH)
#undef SKILLSIM_PUSH
}

Agent Population::get(std::size_t i) const {
  Agent a;
#define SKILLSIM_GET(column_type, agent_type, name, default_value) a.name = static_cast<agent_type>(name[i]);
  SKILLSIM_AGENT_COLUMNS(SKILLSIM_GET)
#undef SKILLSIM_GET
  return a;
}

void Population::compact() {
  constexpr auto removed = static_cast<std::uint8_t>(Status::Removed);
  std::vector<std::uint8_t> keep(size());
  for (std::size_t i = 0; i < size(); ++i) keep[i] = status[i] != removed;
  for_each_column([&](auto& column) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < column.size(); ++i)
      if (keep[i]) column[out++] = column[i];
    column.resize(out);
  });
}

} // namespace skillsim
