#include "skillsim/core/results_layout.hpp"

#include <algorithm>

namespace skillsim {

Results base_results_layout(const Scenario& scenario, std::int64_t replicates) {
  const Parameters& p = scenario.parameters();
  Results r;
  Dimension replicate{
      "replicate", {}, {}, {}, {{"long_name", "replicate (an independent run; same seed, own streams)"}}};
  for (std::int64_t k = 0; k < replicates; ++k) replicate.int_coords.push_back(k);
  Dimension time{"time", {}, {}, {}, {}};
  for (std::int64_t t = 0; t <= p.scenario.months; ++t)
    time.int_coords.push_back(days_since_epoch(scenario.start() + static_cast<int>(t)));
  time.attributes = {{"units", "days since 1970-01-01"},
                     {"calendar", "proleptic_gregorian"},
                     {"long_name", "first day of a month: stocks at that instant; flows over the month ending then"}};
  r.dimensions = {std::move(replicate),
                  std::move(time),
                  label_dimension("level", kLevelIds, kLevelLabelsZh),
                  label_dimension("status", kStatusIds, kStatusLabelsZh),
                  label_dimension("group", kGroupIds, kGroupLabelsZh),
                  label_dimension("to_group", kGroupIds, kGroupLabelsZh),
                  label_dimension("sector", kSectorIds, kSectorLabelsZh)};
  r.dimensions.push_back(Dimension{"region", {}, p.population.regions, {}, {}});
  return r;
}

std::vector<std::string> over_time(std::initializer_list<std::string> more) {
  std::vector<std::string> dims = {"replicate", "time"};
  dims.insert(dims.end(), more.begin(), more.end());
  return dims;
}

Variable& add_variable(Results& r, std::string name, std::vector<std::string> dims, std::string long_name,
                       std::string units) {
  Variable v;
  v.name = std::move(name);
  v.dims = std::move(dims);
  v.units = std::move(units);
  v.long_name = std::move(long_name);
  std::size_t size = 1;
  for (const auto& dim : v.dims) size *= r.dimension(dim).size();
  v.data.assign(size, 0);
  r.variables.push_back(std::move(v));
  return r.variables.back();
}

ResultsWriter::ResultsWriter(Results& results, std::size_t times, std::int64_t scale)
    : results_(results), times_(times), scale_(scale) {}

std::int64_t* ResultsWriter::at(const std::string& name, std::size_t replicate, std::size_t t) {
  Variable& v = results_.variable(name);
  const std::size_t per_time = v.data.size() / (results_.dimension("replicate").size() * times_);
  return v.data.data() + (replicate * times_ + t) * per_time;
}

void ResultsWriter::persons(const std::string& name, std::size_t replicate, std::size_t t,
                            const std::vector<std::int64_t>& agents) {
  std::int64_t* out = at(name, replicate, t);
  for (std::size_t k = 0; k < agents.size(); ++k) out[k] = agents[k] * scale_;
}

void ResultsWriter::as_is(const std::string& name, std::size_t replicate, std::size_t t,
                          const std::vector<std::int64_t>& values) {
  std::copy(values.begin(), values.end(), at(name, replicate, t));
}

} // namespace skillsim
