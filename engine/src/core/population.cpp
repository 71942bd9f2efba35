#include "skillsim/core/population.hpp"

namespace skillsim {

namespace {
// Applies f to every column, so adding a column cannot be forgotten in one of the operations.
template <class Population, class F>
void for_each_column(Population& p, F&& f) {
  f(p.id);
  f(p.birth_month);
  f(p.months_at_level);
  f(p.ui_months);
  f(p.region);
  f(p.level);
  f(p.status);
  f(p.group);
  f(p.sex);
  f(p.sector);
  f(p.programme);
  f(p.programme_months_left);
  f(p.evaluation_wait);
  f(p.follow_up_programme);
  f(p.follow_up_months_left);
}
} // namespace

void Population::reserve(std::size_t n) {
  for_each_column(*this, [n](auto& column) { column.reserve(n); });
}

void Population::push_back(const Agent& a) {
  id.push_back(a.id);
  birth_month.push_back(a.birth_month);
  months_at_level.push_back(a.months_at_level);
  ui_months.push_back(a.ui_months);
  region.push_back(a.region);
  level.push_back(static_cast<std::uint8_t>(a.level));
  status.push_back(static_cast<std::uint8_t>(a.status));
  group.push_back(static_cast<std::uint8_t>(a.group));
  sex.push_back(a.sex);
  sector.push_back(a.sector);
  programme.push_back(a.programme);
  programme_months_left.push_back(a.programme_months_left);
  evaluation_wait.push_back(a.evaluation_wait);
  follow_up_programme.push_back(a.follow_up_programme);
  follow_up_months_left.push_back(a.follow_up_months_left);
}

Agent Population::get(std::size_t i) const {
  return Agent{id[i],
               birth_month[i],
               months_at_level[i],
               ui_months[i],
               region[i],
               static_cast<Level>(level[i]),
               static_cast<Status>(status[i]),
               static_cast<Group>(group[i]),
               sex[i],
               sector[i],
               programme[i],
               programme_months_left[i],
               evaluation_wait[i],
               follow_up_programme[i],
               follow_up_months_left[i]};
}

void Population::compact() {
  constexpr auto removed = static_cast<std::uint8_t>(Status::Removed);
  std::vector<std::uint8_t> keep(size());
  for (std::size_t i = 0; i < size(); ++i) keep[i] = status[i] != removed;
  for_each_column(*this, [&](auto& column) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < column.size(); ++i)
      if (keep[i]) column[out++] = column[i];
    column.resize(out);
  });
}

} // namespace skillsim
