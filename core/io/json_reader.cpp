// JSON (array of objects) and NDJSON (one object per line) -> Table, through nlohmann's SAX
// parser: rows go straight into the same raw columns the CSV reader fills, so JSON strings get
// the same inference as CSV text; numbers/booleans are kept as their JSON text (which infers
// back to number/boolean), null is missing, nested objects/arrays are kept as compact JSON text.
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <unordered_map>

#include "io/columns.h"
#include "io/json_reader.h"
#include "io/load_report.h"
#include "io/text.h"
#include "leadscore/limits.h"
#include "leadscore/table.h"

namespace leadscore::detail {

namespace {

using json = nlohmann::json;

// A char iterator that records how far the lexer has read, so SAX events can be placed.
struct TrackIt {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  const char* p;
  const char** track;
  reference operator*() const { return *p; }
  TrackIt& operator++() {
    ++p;
    *track = p;
    return *this;
  }
  TrackIt operator++(int) {
    TrackIt t = *this;
    ++*this;
    return t;
  }
  bool operator==(const TrackIt& o) const { return p == o.p; }
  bool operator!=(const TrackIt& o) const { return p != o.p; }
};

// Byte offset -> line and character column; cheap for increasing offsets.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) : t_(text) {}
  void seek(size_t target) {
    if (target > t_.size()) target = t_.size();
    if (target < off_) off_ = 0, line_ = 1, start_ = 0;
    while (off_ < target) {
      const void* nl = std::memchr(t_.data() + off_, '\n', target - off_);
      if (!nl) {
        off_ = target;
        break;
      }
      const size_t k = static_cast<size_t>(static_cast<const char*>(nl) - t_.data());
      ++line_;
      start_ = off_ = k + 1;
    }
  }
  size_t line(size_t offset) {
    seek(offset);
    return line_;
  }
  size_t column(size_t offset) {
    seek(offset);
    size_t col = char_column(t_.data() + start_, offset - start_);
    if (start_ == 0 && offset >= 3 && t_.compare(0, 3, "\xEF\xBB\xBF") == 0) --col;  // a BOM is not a character
    return col;
  }

 private:
  std::string_view t_;
  size_t off_ = 0, line_ = 1, start_ = 0;
};

class Reader final : public nlohmann::json_sax<json> {
 public:
  Reader(std::string_view text, bool ndjson, const LoadOptions& o, Table& t, ProblemSink& ps)
      : text_(text), lines_(text), ndjson_(ndjson), o_(o), t_(t), ps_(ps), row_depth_(ndjson ? 0 : 1) {}

  const char* cur = nullptr;  // one past the last character the lexer read
  std::vector<RawColumn> cols;

  // error state
  bool failed = false;
  bool syntax = false;  // a JSON syntax error (else: valid JSON of the wrong shape)
  std::string code = "load";
  std::string error;
  size_t error_offset = 0;

  size_t rows() const { return rows_; }
  size_t offset() const { return static_cast<size_t>(cur - text_.data()); }
  LineIndex& lines() { return lines_; }
  void reset_line() { depth_ = 0; }

  bool null() override {
    if (nested_) return true;
    if (depth_ == row_depth_ + 1) return cell(nullptr, 0, false);
    return not_object("null");
  }
  bool boolean(bool v) override {
    if (nested_) return true;
    if (depth_ == row_depth_ + 1) return v ? cell("true", 4, true) : cell("false", 5, true);
    return not_object("a boolean");
  }
  bool number_integer(number_integer_t v) override { return integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return integer(v); }
  bool number_float(number_float_t, const string_t& raw) override {
    if (nested_) return true;
    if (depth_ == row_depth_ + 1) return cell(raw.data(), raw.size(), true);
    return not_object("a number");
  }
  bool string(string_t& s) override {
    if (nested_) return true;
    if (depth_ == row_depth_ + 1) return cell(s.data(), s.size(), true);
    return not_object("a string");
  }
  bool binary(binary_t&) override { return true; }

  bool start_object(std::size_t) override {
    if (nested_) return deeper();
    if (depth_ == row_depth_) {
      begin_row();
      ++depth_;
      return true;
    }
    if (depth_ == row_depth_ + 1) return begin_nested();
    return fail(
        "expected a JSON array of objects ([{...}, {...}]), found an object; for one object per line use NDJSON");
  }
  bool end_object() override {
    if (nested_) return end_nested();
    --depth_;
    if (depth_ == row_depth_ && rows_ % 65536 == 0) report_progress(o_, offset(), rows_);
    return true;
  }
  bool start_array(std::size_t) override {
    if (nested_) return deeper();
    if (depth_ == 0 && !ndjson_) {
      ++depth_;
      return true;
    }
    if (depth_ == row_depth_ + 1) return begin_nested();
    return not_object("an array");
  }
  bool end_array() override {
    if (nested_) return end_nested();
    --depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (!nested_) key_ = k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    failed = true;
    syntax = true;
    std::string what = ex.what();
    const size_t at = what.find("syntax error");
    if (at != std::string::npos)
      what = what.substr(at);
    else if (const size_t c = what.find(": "); c != std::string::npos)
      what = what.substr(c + 2);
    error = utf8_for_message(what);  // nlohmann quotes the bytes it read, valid UTF-8 or not
    error_offset = base_ + (position > 0 ? position - 1 : 0);
    return false;
  }

  void set_base(size_t b) { base_ = b; }

  void finish_nested_problems(const std::vector<ColumnNaming>& names) {
    for (size_t i = 0; i < nested_count_.size(); ++i) {
      if (!nested_count_[i]) continue;
      const std::string& name = names[i].name;
      ps_.add(nested_line_[i], i + 1, name,
              std::to_string(nested_count_[i]) + (nested_count_[i] == 1 ? " value" : " values") + " in \"" + name +
                  "\" " + (nested_count_[i] == 1 ? "is a" : "are") + " nested object/array" +
                  (nested_count_[i] == 1 ? "" : "s") + "; kept as JSON text");
    }
  }

 private:
  template <typename T>
  bool integer(T v) {
    if (nested_) return true;
    if (depth_ != row_depth_ + 1) return not_object("a number");
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return cell(buf, static_cast<size_t>(r.ptr - buf), true);
  }

  // A value nested inside a cell: kept as JSON text, but not nested without end (turning it
  // into text recurses once per level).
  bool deeper() {
    if (++nested_ + static_cast<size_t>(row_depth_) + 1 <= kMaxJsonDepth) return true;
    code = "limit";
    return fail("a value in \"" + key_ + "\" is nested more than " + format_count(kMaxJsonDepth) +
                " levels deep; the limit is " + format_count(kMaxJsonDepth) + ". Flatten the data before loading it");
  }

  bool fail(std::string msg) {
    failed = true;
    error = std::move(msg);
    error_offset = cur > text_.data() ? offset() - 1 : 0;
    return false;
  }

  bool not_object(const char* what) {
    if (ndjson_)
      fail(std::string("expected a JSON object on each line, found ") + what);
    else if (depth_ == 0)
      fail(std::string("expected a JSON array of objects, found ") + what);
    else
      fail("expected a JSON array of objects, but element " + std::to_string(element_ + 1) + " is " + what);
    if (what[0] == 'a' && what[1] == 'n' && what[2] == ' ') return false;  // "an array": the lexer stopped on its '['
    // A scalar: the lexer has read past it (numbers: one character more); point at its start.
    size_t i = error_offset - base_;
    const std::string_view t = text_.substr(base_);
    if (i >= t.size()) return false;
    if (std::string(what) == "a string") {
      while (i > 0) {
        --i;
        size_t bs = 0;
        while (i >= bs + 1 && t[i - bs - 1] == '\\') ++bs;
        if (t[i] == '"' && bs % 2 == 0) break;
      }
    } else {
      auto tok = [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' ||
               c == '+';
      };
      while (i > 0 && !tok(t[i])) --i;
      while (i > 0 && tok(t[i - 1])) --i;
    }
    error_offset = base_ + i;
    return false;
  }

  void begin_row() {
    ++element_;
    ++rows_;
    const size_t start = cur > text_.data() ? offset() - 1 : 0;
    row_line_ = lines_.line(start);
    t_.row_line.push_back(row_line_);
    for (auto& c : cols) c.codes.push_back(-1);
  }

  size_t column_for(const std::string& k) {
    if (expect_ < cols.size() && cols[expect_].header == k) return expect_++;
    auto it = index_.find(k);
    size_t i;
    if (it != index_.end()) {
      i = it->second;
    } else {
      i = cols.size();
      if (o_.max_columns && i >= o_.max_columns) return SIZE_MAX;
      cols.emplace_back();
      cols.back().header = k;
      cols.back().first_line = row_line_;
      cols.back().codes.resize(rows_, -1);
      last_row_.push_back(0);
      nested_count_.push_back(0);
      nested_line_.push_back(0);
      index_.emplace(k, i);
    }
    expect_ = i + 1;
    return i;
  }

  // A value for key_ in the current row (present == false: null).
  bool cell(const char* text, size_t len, bool present, size_t col = SIZE_MAX) {
    const size_t i = col != SIZE_MAX ? col : column_for(key_);
    if (i == SIZE_MAX) return too_many_columns();
    RawColumn& c = cols[i];
    if (last_row_[i] == rows_)
      ps_.add(row_line_, i + 1, key_, "duplicate key " + quote_value(key_) + " in one object; the last value is kept");
    last_row_[i] = rows_;
    c.codes.set(rows_ - 1, present ? c.code_of(std::string_view(text, len)) : -1);
    return true;
  }

  bool too_many_columns() {
    code = "limit";
    return fail("the objects have more than " + format_count(o_.max_columns) +
                " different keys (columns); the limit is " + format_count(o_.max_columns) +
                ". Load only the keys the rules need");
  }

  bool begin_nested() {
    nested_ = 1;
    nested_start_ = offset() - 1;
    return true;
  }

  bool end_nested() {
    if (--nested_ > 0) return true;
    const std::string_view raw = text_.substr(nested_start_, offset() - nested_start_);
    std::string compact;
    try {
      compact = json::parse(raw).dump();
    } catch (const json::exception&) {
      compact.assign(raw.data(), raw.size());
    }
    const size_t i = column_for(key_);
    if (i == SIZE_MAX) return too_many_columns();
    if (!nested_count_[i]++) nested_line_[i] = row_line_;
    return cell(compact.data(), compact.size(), true, i);
  }

  std::string_view text_;
  LineIndex lines_;
  bool ndjson_;
  const LoadOptions& o_;
  Table& t_;
  ProblemSink& ps_;
  int row_depth_;
  int depth_ = 0;
  size_t nested_ = 0, nested_start_ = 0;
  size_t base_ = 0;  // offset of the text being parsed (NDJSON: the line)
  std::string key_;
  size_t rows_ = 0, element_ = 0, row_line_ = 0, expect_ = 0;
  std::unordered_map<std::string, size_t> index_;
  std::vector<size_t> last_row_;  // per column: last row (1-based) given a value
  std::vector<size_t> nested_count_, nested_line_;
};

}  // namespace

Table read_json(std::string_view text, bool ndjson, const LoadOptions& opts) {
  Table t;
  t.format = ndjson ? "ndjson" : "json";
  ProblemSink ps(t.problems, opts.max_problems);
  Reader r(text, ndjson, opts, t, ps);

  auto throw_error = [&](const std::string& what) {
    const size_t line = r.lines().line(r.error_offset);
    const size_t col = r.lines().column(r.error_offset);
    const std::string at = "line " + std::to_string(line) + ", column " + std::to_string(col);
    if (r.syntax) throw LoadError(r.code, "invalid " + what + " at " + at + ": " + r.error, line, col);
    throw LoadError(r.code, r.error + " (" + at + ")", line, col);
  };

  // nlohmann ends its input at a NUL byte: whatever followed one would be dropped without a word.
  // A raw NUL is never valid JSON (in a string it is written \u0000): a binary or UTF-16 file.
  if (const void* nul = std::memchr(text.data(), 0, text.size())) {
    const size_t at = static_cast<size_t>(static_cast<const char*>(nul) - text.data());
    const size_t line = r.lines().line(at), col = r.lines().column(at);
    throw LoadError("encoding",
                    "a NUL byte at line " + std::to_string(line) + ", column " + std::to_string(col) +
                        ": this is not a JSON text file (or it is UTF-16 text); save it as UTF-8 and load it again",
                    line, col);
  }
  if (!ndjson) {
    const char* begin = text.data();
    TrackIt first{begin, &r.cur}, last{begin + text.size(), &r.cur};
    r.cur = begin;
    r.set_base(0);
    json::sax_parse(first, last, &r, json::input_format_t::json, true);
    if (r.failed) throw_error("JSON");
  } else {
    size_t off = 0, line_no = 0;
    bool first_line = true;
    while (off < text.size()) {
      const char* nlp = static_cast<const char*>(std::memchr(text.data() + off, '\n', text.size() - off));
      const size_t eol = nlp ? static_cast<size_t>(nlp - text.data()) : text.size();
      ++line_no;
      std::string_view line = text.substr(off, eol - off);
      const size_t line_off = off;
      off = eol + 1;
      if (trim(line).empty()) continue;
      // nlohmann skips a BOM at the start of each line it parses (concatenated files keep theirs),
      // so a line holding only a BOM is blank, wherever it is.
      if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0 && trim(line.substr(3)).empty()) continue;
      TrackIt first{line.data(), &r.cur}, last{line.data() + line.size(), &r.cur};
      r.cur = line.data();
      r.set_base(line_off);
      r.reset_line();
      json::sax_parse(first, last, &r, json::input_format_t::json, true);
      if (r.failed) {
        if (first_line && json::accept(text)) {
          throw LoadError(
              "found one JSON object written over several lines; expected an array of objects ([{...}, {...}]) or "
              "NDJSON (one object per line)",
              line_no, 1);
        }
        throw_error("NDJSON");
      }
      first_line = false;
    }
  }

  t.rows = r.rows();
  report_progress(opts, text.size(), t.rows);
  if (t.rows == 0) ps.add(1, 0, "", "the JSON holds no objects: there are no leads to score");
  const std::vector<ColumnNaming> names = name_columns(r.cols, 0, opts, ps);
  check_cells(r.cols, names, t.row_line, opts.max_cell_bytes, false, ps);
  r.finish_nested_problems(names);
  build_columns(r.cols, names, opts, t, ps);
  finish_problems(t, ps);
  return t;
}

}  // namespace leadscore::detail
