// The lead table: Column/Table accessors and the loaders (CSV here, JSON in json_reader.cpp,
// typing in columns.cpp).
#include "leadscore/table.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "io/columns.h"
#include "io/csv.h"
#include "io/dates.h"
#include "io/json_reader.h"
#include "io/load_report.h"
#include "io/text.h"
#include "io/values.h"
#include "leadscore/limits.h"

namespace leadscore {

using detail::ProblemSink;
using detail::RawColumn;

// ---------------------------------------------------------------- names and types

const char* to_string(ColumnType t) {
  switch (t) {
    case ColumnType::Number:
      return "number";
    case ColumnType::Boolean:
      return "boolean";
    case ColumnType::Date:
      return "date";
    case ColumnType::String:
      return "string";
  }
  return "string";
}

std::optional<ColumnType> column_type_from_string(const std::string& s) {
  if (s == "number") return ColumnType::Number;
  if (s == "boolean") return ColumnType::Boolean;
  if (s == "date") return ColumnType::Date;
  if (s == "string") return ColumnType::String;
  return std::nullopt;
}

std::string normalize_header(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      out.push_back(c);
  }
  return out;
}

// ---------------------------------------------------------------- Values

namespace {
bool int32_exact(double x) {  // an int32 other than the missing code, and not -0.0
  return x >= -2147483647.0 && x <= 2147483647.0 && (double)(int32_t)x == x && !(x == 0 && std::signbit(x));
}
constexpr double kDayMs = 86400000.0;
// x / 86,400,000 as an int32 when x is a whole number of days in range (checked by multiplying
// back, which is exact), else false. Not for -0.0.
bool whole_days(double x, int32_t* day) {
  if (!(std::fabs(x) <= 2147483647.0 * kDayMs) || (x == 0 && std::signbit(x))) return false;
  const double q = x * (1 / kDayMs);  // within 2^-20 of the day number: rounding gives it
  const int64_t d = (int64_t)(q + (q >= 0 ? 0.5 : -0.5));
  *day = (int32_t)d;
  return d >= -2147483647 && d <= 2147483647 && (double)d * kDayMs == x;
}
}  // namespace

void Values::assign(const double* v, size_t n) {
  Builder b(n);
  b.append(v, n);
  *this = b.finish();
}

void Values::reserve(size_t n) {
  switch (kind_) {
    case Kind::U8:
      u8_.reserve(n);
      return;
    case Kind::I32:
      i32_.reserve(n);
      return;
    case Kind::F64:
      f64_.reserve(n);
      return;
  }
}

void Values::encode(const double* v, size_t n) {
  const size_t at = n_;
  n_ += n;
  switch (kind_) {
    case Kind::U8: {
      u8_.resize(n_);
      uint8_t* o = u8_.data() + at;
      for (size_t i = 0; i < n; ++i) o[i] = v[i] != v[i] ? kMissingU8 : (uint8_t)v[i];
      return;
    }
    case Kind::I32: {
      i32_.resize(n_);
      int32_t* o = i32_.data() + at;
      if (scale_ == 1) {
        for (size_t i = 0; i < n; ++i) o[i] = v[i] != v[i] ? kMissingI32 : (int32_t)v[i];
      } else {
        for (size_t i = 0; i < n; ++i) {
          int32_t d = kMissingI32;
          if (v[i] == v[i]) whole_days(v[i], &d);
          o[i] = d;
        }
      }
      return;
    }
    case Kind::F64:
      f64_.insert(f64_.end(), v, v + n);
      return;
  }
}

void Values::Builder::append(const double* v, size_t n) {
  bool u8 = u8_, i32 = i32_, days = days_;
  for (size_t i = 0; i < n && (i32 || days); ++i) {
    const double x = v[i];
    if (x != x) continue;
    const bool ix = int32_exact(x);
    u8 = u8 && ix && x >= 0 && x <= 254;
    i32 = i32 && ix;
    int32_t d;
    days = days && whole_days(x, &d);
  }
  u8_ = u8, i32_ = i32, days_ = days;
  const Kind want = u8 ? Kind::U8 : i32 || days ? Kind::I32 : Kind::F64;
  const double scale = !u8 && !i32 && days ? kDayMs : 1;
  if (want != out_.kind_ || scale != out_.scale_) {  // widen: re-encode what is there
    const std::vector<double> prev = out_.to_vector();
    out_ = Values();
    out_.kind_ = want;
    out_.scale_ = scale;
    out_.reserve(std::max(expected_, prev.size() + n));
    out_.encode(prev.data(), prev.size());
  } else if (out_.n_ == 0) {
    out_.reserve(expected_);
  }
  out_.encode(v, n);
}

void Values::decode(size_t i0, size_t n, double* out) const {
  switch (kind_) {
    case Kind::U8: {
      const uint8_t* p = u8_.data() + i0;
      for (size_t i = 0; i < n; ++i) out[i] = p[i] == kMissingU8 ? NAN : (double)p[i];
      return;
    }
    case Kind::I32: {
      const int32_t* p = i32_.data() + i0;
      const double s = scale_;
      for (size_t i = 0; i < n; ++i) out[i] = p[i] == kMissingI32 ? NAN : (double)p[i] * s;
      return;
    }
    default:
      std::copy(f64_.begin() + (std::ptrdiff_t)i0, f64_.begin() + (std::ptrdiff_t)(i0 + n), out);
  }
}

bool Values::integers(double* max_abs) const {
  *max_abs = 0;
  switch (kind_) {
    case Kind::U8: {
      unsigned top = 0;
      for (uint8_t b : u8_) top = std::max<unsigned>(top, b == kMissingU8 ? 0u : b);
      *max_abs = top;
      return true;
    }
    case Kind::I32: {
      int64_t top = 0;
      for (int32_t v : i32_) top = std::max<int64_t>(top, v == kMissingI32 ? 0 : std::abs((int64_t)v));
      *max_abs = (double)top * scale_;  // scale is 1 or a whole number of ms: integers still
      return *max_abs < 9007199254740992.0;
    }
    case Kind::F64:
      for (double v : f64_) {
        if (v != v) continue;
        const double a = std::fabs(v);
        // |v| < 2^53 and no fraction (the conversion truncates); infinities fail the first test
        if (!(a < 9007199254740992.0) || (double)(int64_t)v != v) return false;
        *max_abs = std::max(*max_abs, a);
      }
      return true;
  }
  return false;
}

std::vector<double> Values::to_vector() const {
  std::vector<double> v(n_);
  decode(0, n_, v.data());
  return v;
}

// ---------------------------------------------------------------- Column / Table

size_t Values::missing() const {
  size_t k = 0;
  switch (kind_) {
    case Kind::U8:
      for (uint8_t v : u8_) k += v == kMissingU8;
      break;
    case Kind::I32:
      for (int32_t v : i32_) k += v == kMissingI32;
      break;
    default:
      for (double v : f64_) k += v != v;
  }
  return k;
}

size_t Column::missing(size_t rows) const {
  const size_t stored = type == ColumnType::String ? codes.size() : num.size();
  if (stored > rows) {  // (not the case in a loaded table: every column has a value per row)
    size_t k = 0;
    for (size_t i = 0; i < rows; ++i) k += is_missing(i);
    return k;
  }
  size_t k = rows - stored;  // past the stored part: missing, as is_missing says
  if (type != ColumnType::String) return k + num.missing();
  for (int32_t c : codes) k += c < 0;
  return k;
}

bool Column::is_missing(size_t row) const {
  if (type == ColumnType::String) return row >= codes.size() || codes[row] < 0;
  return row >= num.size() || num.is_missing(row);
}

nlohmann::json Column::value_json(size_t row) const {
  if (is_missing(row)) return nullptr;
  switch (type) {
    case ColumnType::String:
      return dict[static_cast<size_t>(codes[row])];
    case ColumnType::Boolean:
      return num[row] != 0;
    case ColumnType::Date:
      return detail::format_date(num[row], date_has_time);
    case ColumnType::Number: {
      const double v = num[row];
      if (v == std::floor(v) && std::fabs(v) <= 9007199254740992.0) return static_cast<int64_t>(v);
      return v;
    }
  }
  return nullptr;
}

std::string Column::value_text(size_t row) const {
  if (is_missing(row)) return "";
  switch (type) {
    case ColumnType::String:
      return dict[static_cast<size_t>(codes[row])];
    case ColumnType::Boolean:
      return num[row] != 0 ? "true" : "false";
    case ColumnType::Date:
      return detail::format_date(num[row], date_has_time);
    case ColumnType::Number:
      return detail::format_number(num[row]);
  }
  return "";
}

int Table::find(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return static_cast<int>(i);
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].header == name) return static_cast<int>(i);
  const std::string n = normalize_header(name);
  if (n.empty()) return -1;
  for (size_t i = 0; i < columns.size(); ++i)
    if (normalize_header(columns[i].name) == n) return static_cast<int>(i);
  for (size_t i = 0; i < columns.size(); ++i)
    if (normalize_header(columns[i].header) == n) return static_cast<int>(i);
  return -1;
}

nlohmann::json Table::row_json(size_t row) const {
  nlohmann::json o = nlohmann::json::object();
  for (const auto& c : columns)
    if (!c.is_missing(row)) o[c.name] = c.value_json(row);
  return o;
}

// ---------------------------------------------------------------- CSV -> raw columns

namespace {

class CsvSink final : public csv::Handler {
 public:
  CsvSink(const LoadOptions& o, Table& t, ProblemSink& ps) : o_(o), t_(t), ps_(ps) {}

  void set_parser(const csv::Parser* p) { parser_ = p; }

  // The hot path: no local objects with destructors here, so that under Emscripten's JS-based
  // exceptions the calls below are direct (not routed through invoke_* trampolines).
  void record(const std::string_view* f, size_t n, size_t line, bool any_quoted) override {
    if ((n == 1 && !any_quoted) || !have_header_) {
      if (special(f, n, line, any_quoted)) return;
    }
    const size_t nc = cols_.size();
    t_.row_line.push_back(line);
    const size_t m = n < nc ? n : nc;
    RawColumn* c = cols_.data();
    for (size_t i = 0; i < m; ++i) c[i].codes.push_back(c[i].code_of(f[i]));
    if (n != nc) ragged(f, n, line);
    ++rows_;
    if ((rows_ & 0xFFFF) == 0) detail::report_progress(o_, parser_ ? parser_->bytes_parsed() : 0, rows_);
  }

  void problem(size_t line, size_t column, const std::string& message) override {
    ps_.add(line, column, column >= 1 && column <= names_.size() ? names_[column - 1].name : "", message);
  }

  bool have_header() const { return have_header_; }
  size_t rows() const { return rows_; }

  void finish() {
    t_.rows = rows_;
    if (rows_ == 0) ps_.add(header_line_, 0, "", "the file has a header but no rows: there are no leads to score");
    detail::check_cells(cols_, names_, t_.row_line, o_.max_cell_bytes, true, ps_);
    detail::build_columns(cols_, names_, o_, t_, ps_);
  }

 private:
  // Blank and whitespace-only lines, and the header. True when the record is used up.
  [[gnu::noinline]] bool special(const std::string_view* f, size_t n, size_t line, bool any_quoted) {
    if (n == 1 && !any_quoted) {
      if (f[0].empty()) return true;  // blank line
      if (detail::trim(f[0]).empty() && (!have_header_ || cols_.size() > 1)) {
        ps_.add(line, 0, "", "line with only spaces skipped");
        return true;
      }
    }
    if (have_header_) return false;
    have_header_ = true;
    header_line_ = line;
    if (o_.max_columns && n > o_.max_columns)
      throw LoadError("limit",
                      "the header has " + format_count(n) + " columns; the limit is " + format_count(o_.max_columns) +
                          ". Check the delimiter (or load only the columns the rules need)",
                      line, o_.max_columns + 1);
    cols_.resize(n);
    for (size_t i = 0; i < n; ++i) cols_[i].header = std::string(detail::trim(f[i]));
    detail::check_headers(cols_, line, ps_);
    names_ = detail::name_columns(cols_, line, o_, ps_);
    return true;
  }

  [[gnu::noinline]] void ragged(const std::string_view* f, size_t n, size_t line) {
    const size_t nc = cols_.size();
    if (n < nc) {
      for (size_t i = n; i < nc; ++i) cols_[i].codes.push_back(-1);
      std::string which = nc - n == 1 ? "\"" + names_[n].name + "\" is"
                                      : "fields " + std::to_string(n + 1) + "-" + std::to_string(nc) + " (from \"" +
                                            names_[n].name + "\") are";
      ps_.add(line, n + 1, nc - n == 1 ? names_[n].name : "",
              "row has " + std::to_string(n) + " fields, the header has " + std::to_string(nc) + "; " + which +
                  " kept as missing");
    } else {
      std::string vals;
      for (size_t i = nc; i < n && i < nc + 3; ++i) vals += (i > nc ? ", " : "") + detail::quote_value(f[i]);
      if (n - nc > 3) vals += ", ...";
      ps_.add(line, nc + 1, "",
              "row has " + std::to_string(n) + " fields, the header has " + std::to_string(nc) + "; extra field" +
                  (n - nc == 1 ? " " : "s ") + std::to_string(nc + 1) + (n - nc == 1 ? "" : "-" + std::to_string(n)) +
                  " ignored: " + vals);
    }
  }

  const LoadOptions& o_;
  Table& t_;
  ProblemSink& ps_;
  const csv::Parser* parser_ = nullptr;
  bool have_header_ = false;
  size_t header_line_ = 0;
  std::vector<RawColumn> cols_;
  std::vector<detail::ColumnNaming> names_;
  size_t rows_ = 0;
};

enum class Mode { Undecided, Csv, Json, Ndjson };

// The format for opts.format, looking at the text seen so far when it is "auto"
// (Undecided while only whitespace / part of a BOM has been seen and more may come).
Mode decide_format(const LoadOptions& o, std::string_view head, bool final) {
  const std::string& f = o.format;
  if (f == "csv" || f == "tsv") return Mode::Csv;
  if (f == "json") return Mode::Json;
  if (f == "ndjson" || f == "jsonl") return Mode::Ndjson;
  if (f != "auto" && !f.empty())
    throw LoadError("unknown format \"" + f + "\"; expected auto, csv, tsv, json or ndjson");
  static const char kBom[] = "\xEF\xBB\xBF";
  size_t i = 0;
  const size_t bom = std::min<size_t>(head.size(), 3);
  if (head.compare(0, bom, kBom, bom) == 0) {
    if (bom < 3) return final ? Mode::Csv : Mode::Undecided;
    i = 3;
  }
  for (; i < head.size(); ++i) {
    const char c = head[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '[') return Mode::Json;
    if (c == '{') return Mode::Ndjson;
    return Mode::Csv;
  }
  return final ? Mode::Csv : Mode::Undecided;
}

}  // namespace

// Throws for an XLSX/HTML/PDF/UTF-16... file, recognised by its first bytes.
static void throw_if_not_text(std::string_view head) {
  const char* code = "format";
  std::string advice;
  const std::string what = detail::sniff_binary(head, &code, &advice);
  if (!what.empty()) throw LoadError(code, "this file is " + what + ", not CSV or JSON text: " + advice, 1, 1);
}

// ---------------------------------------------------------------- TableLoader

struct TableLoader::Impl {
  explicit Impl(const LoadOptions& o) : opts(o), problems(table.problems, o.max_problems) {}

  void start_csv() {
    char d = opts.delimiter;
    if (d == 0 && opts.format == "tsv") d = '\t';
    if (d == '"' || d == '\n' || d == '\r') throw LoadError("the delimiter cannot be a quote or a line break");
    sink = std::make_unique<CsvSink>(opts, table, problems);
    parser = std::make_unique<csv::Parser>(*sink, d);
    sink->set_parser(parser.get());
  }

  LoadOptions opts;
  Table table;
  ProblemSink problems;
  Mode mode = Mode::Undecided;
  std::string held;  // undecided prefix, or the whole JSON text
  std::unique_ptr<CsvSink> sink;
  std::unique_ptr<csv::Parser> parser;
  uint64_t fed = 0, last_report = 0;
  bool finished = false;
  std::string head;  // the first bytes, held until they show the input is text
  bool sniffed = false;

  static constexpr size_t kHead = 512;
  // Throws for an XLSX/HTML/PDF/UTF-16... file (looking at `head`).
  void sniff(std::string_view first) {
    sniffed = true;
    throw_if_not_text(first.substr(0, kHead));
  }
  void feed_body(const char* data, size_t len);
};

TableLoader::TableLoader(const LoadOptions& opts) : impl_(std::make_unique<Impl>(opts)) {}
TableLoader::~TableLoader() = default;

void TableLoader::feed(const char* data, size_t len) {
  Impl& m = *impl_;
  if (m.finished) throw LoadError("TableLoader::feed after finish");
  if (len == 0) return;
  if (m.opts.max_bytes && m.fed + len > m.opts.max_bytes)
    throw LoadError("limit",
                    "the input is larger than " + format_bytes(m.opts.max_bytes) +
                        ", the limit for loading here; score files this size with the native command line: "
                        "leadscore score --rules RULES.json --leads FILE --out scored.csv",
                    0, 0);
  m.fed += len;
  if (!m.sniffed) {  // nothing is parsed before the first bytes say the input is text
    if (m.head.empty() && len >= Impl::kHead) {
      m.sniff(std::string_view(data, len));
    } else {
      m.head.append(data, len);
      if (m.head.size() < Impl::kHead) return;
      m.sniff(m.head);
      std::string h;
      h.swap(m.head);
      m.feed_body(h.data(), h.size());
      return;
    }
  }
  m.feed_body(data, len);
}

void TableLoader::Impl::feed_body(const char* data, size_t len) {
  Impl& m = *this;
  if (m.mode == Mode::Undecided) {
    Mode mode;
    if (m.held.empty()) {
      mode = decide_format(m.opts, std::string_view(data, len), false);
    } else {
      m.held.append(data, len);
      mode = decide_format(m.opts, m.held, false);
      data = nullptr;  // now in held
    }
    if (mode == Mode::Undecided) {
      if (data) m.held.append(data, len);
      return;
    }
    m.mode = mode;
    if (mode == Mode::Csv) {
      m.start_csv();
      if (!m.held.empty()) {
        std::string h;
        h.swap(m.held);
        m.parser->feed(h.data(), h.size());
      }
      if (data) m.parser->feed(data, len);
    } else if (data) {
      m.held.append(data, len);
    }
  } else if (m.mode == Mode::Csv) {
    m.parser->feed(data, len);
  } else {
    m.held.append(data, len);
  }
  if (m.fed - m.last_report >= (1u << 20)) {
    m.last_report = m.fed;
    if (m.mode == Mode::Csv)
      detail::report_progress(m.opts, m.parser->bytes_parsed(), m.sink->rows());
    else
      detail::report_progress(m.opts, m.fed, 0);
  }
}

Table TableLoader::finish() {
  Impl& m = *impl_;
  if (m.finished) throw LoadError("TableLoader::finish called twice");
  m.finished = true;
  if (!m.sniffed) {
    m.sniff(m.head);
    std::string h;
    h.swap(m.head);
    if (!h.empty()) m.feed_body(h.data(), h.size());
  }
  if (m.mode == Mode::Undecided) {
    m.mode = decide_format(m.opts, m.held, true);
    if (m.mode == Mode::Csv) {
      m.start_csv();
      std::string h;
      h.swap(m.held);
      m.parser->feed(h.data(), h.size());
    }
  }
  if (m.mode != Mode::Csv) return detail::read_json(m.held, m.mode == Mode::Ndjson, m.opts);

  m.parser->finish();
  if (!m.sink->have_header())
    throw LoadError("empty",
                    "the input is empty: no header row and no leads; load a file whose first line names the columns", 1,
                    1);
  detail::report_progress(m.opts, m.fed, m.sink->rows());
  m.table.format = "csv";
  m.table.delimiter = m.parser->delimiter();
  m.sink->finish();
  detail::finish_problems(m.table, m.problems);
  return std::move(m.table);
}

// ---------------------------------------------------------------- entry points

Table load_table(const std::string& text, const LoadOptions& opts) {
  const Mode mode = decide_format(opts, text, true);
  if ((mode == Mode::Json || mode == Mode::Ndjson) && !(opts.max_bytes && text.size() > opts.max_bytes)) {
    throw_if_not_text(std::string_view(text).substr(0, 512));
    return detail::read_json(text, mode == Mode::Ndjson, opts);
  }
  TableLoader loader(opts);
  loader.feed(text.data(), text.size());
  return loader.finish();
}

Table load_table_file(const std::string& path, const LoadOptions& opts) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LoadError("cannot open " + path);
  TableLoader loader(opts);
  std::vector<char> buf(1u << 20);
  for (;;) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) loader.feed(buf.data(), static_cast<size_t>(got));
    if (!in) break;
  }
  if (in.bad()) throw LoadError("error reading " + path);
  return loader.finish();
}

}  // namespace leadscore
