// Text for a terminal: how many columns a UTF-8 string takes, and tables laid out from it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace skillsim::cli {

/// Columns `text` takes on a terminal, measured as fmt measures it when it pads to a width
/// ("{:<20}"): East Asian wide characters (汉字, fullwidth forms) count two, other code points
/// one. Tables size their columns with it and let fmt pad, so the two always agree.
std::size_t display_width(std::string_view text);

/// A table of the summary: a title over a column of labels, then columns of figures aligned
/// right, then free text (e.g. "range at end"). Every column is laid out from its widest cell:
/// the label column is as wide as its widest label (and the title fits above it), a figure
/// column as wide as its widest cell or heading plus a gap of two; each at least the width it is
/// given, so that tables with small figures keep their usual look. Nothing is ever cut.
class Table {
public:
  /// `indent`: spaces before each row's label (the title starts at column 0).
  Table(std::string title, std::size_t label_width, std::size_t indent = 2);
  /// Appends a figure column.
  Table& column(std::string heading, std::size_t min_width);
  /// The heading of the free text after the figure columns (as it is, spaces included).
  Table& tail(std::string heading);
  /// Appends a row: a label, one cell per figure column, and its free text.
  /// @throws std::invalid_argument if the number of cells is not the number of columns
  void row(std::string label, std::vector<std::string> cells, std::string tail = {});
  /// The heading line and the rows, each ending in a newline.
  std::string text() const;

private:
  struct Column {
    std::string heading;
    std::size_t min_width;
  };
  struct Row {
    std::string label;
    std::vector<std::string> cells;
    std::string tail;
  };
  std::string title_;
  std::size_t label_width_;
  std::size_t indent_;
  std::vector<Column> columns_;
  std::string tail_;
  std::vector<Row> rows_;
};

} // namespace skillsim::cli
