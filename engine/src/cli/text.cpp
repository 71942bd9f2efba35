#include "text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace skillsim::cli {

std::size_t display_width(std::string_view text) {
  // fmt 9 has no public call for its width estimate, so ask it to pad to a width the text cannot
  // reach (at most two columns a byte) and subtract the padding it added.
  const std::size_t target = 2 * text.size() + 1;
  const std::size_t padding = fmt::formatted_size("{:<{}}", text, target) - text.size();
  return target - padding;
}

Table::Table(std::string title, std::size_t label_width, std::size_t indent)
    : title_(std::move(title)), label_width_(label_width), indent_(indent) {}

Table& Table::column(std::string heading, std::size_t min_width) {
  columns_.push_back({std::move(heading), min_width});
  return *this;
}

Table& Table::tail(std::string heading) {
  tail_ = std::move(heading);
  return *this;
}

void Table::row(std::string label, std::vector<std::string> cells, std::string tail) {
  if (cells.size() != columns_.size())
    throw std::invalid_argument(
        fmt::format("table row '{}' has {} cells for {} columns", label, cells.size(), columns_.size()));
  rows_.push_back({std::move(label), std::move(cells), std::move(tail)});
}

std::string Table::text() const {
  // The title spans the indent and the label column, so the label column makes room for it.
  std::size_t labels = std::max(label_width_, display_width(title_) > indent_ ? display_width(title_) - indent_ : 0);
  for (const Row& r : rows_) labels = std::max(labels, display_width(r.label));
  std::vector<std::size_t> widths;
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    // Two spaces at least between a cell and whatever is left of it.
    std::size_t w = std::max(columns_[c].min_width, display_width(columns_[c].heading) + 2);
    for (const Row& r : rows_) w = std::max(w, display_width(r.cells[c]) + 2);
    widths.push_back(w);
  }
  std::string out = fmt::format("{:<{}}", title_, indent_ + labels);
  for (std::size_t c = 0; c < columns_.size(); ++c) out += fmt::format("{:>{}}", columns_[c].heading, widths[c]);
  out += tail_ + "\n";
  for (const Row& r : rows_) {
    out += fmt::format("{:{}}{:<{}}", "", indent_, r.label, labels);
    for (std::size_t c = 0; c < columns_.size(); ++c) out += fmt::format("{:>{}}", r.cells[c], widths[c]);
    out += r.tail + "\n";
  }
  return out;
}

} // namespace skillsim::cli
