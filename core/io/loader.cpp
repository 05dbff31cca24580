// Loading a lead table: format detection, the CSV sink that turns csv.h's fields into raw
// columns, JSON through json_reader, streaming in pieces (TableLoader) under the input limits,
// then typing (columns.cpp). The top of io/: it uses every reader, none uses it.
#include "leadscore/table.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
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
    if (n > 1 && (f[0].empty() || f[0][0] == ' ') && !any_quoted && all_empty(f, n, line)) return;
    const size_t nc = cols_.size();
    t_.row_line.push_back(line);
    if (detail::kLoadFastPaths && n == nc && parser_ && parser_->record_lasts()) {
      std::copy(f, f + n, batch_.data() + batched_ * nc);
      if (++batched_ == kBatchRows) code_batch();
    } else {
      code_batch();
      const size_t m = n < nc ? n : nc;
      RawColumn* c = cols_.data();
      for (size_t i = 0; i < m; ++i) c[i].codes.push_back(c[i].code_of(f[i]));
      if (n != nc) ragged(f, n, line);
    }
    ++rows_;
    if ((rows_ & 0xFFF) == 0) every_4096_rows();
  }

  void end_of_piece() override { code_batch(); }

  void problem(size_t line, size_t column, const std::string& message) override {
    ps_.add(line, column, column >= 1 && column <= names_.size() ? names_[column - 1].name : "", message);
  }

  std::string field_name(size_t column) const override {
    return column >= 1 && column <= names_.size() ? names_[column - 1].name : "";
  }

  bool have_header() const { return have_header_; }
  size_t rows() const { return rows_; }

  void finish() {
    if (empty_rows_)
      ps_.add(first_empty_line_, 0, "",
              format_count(empty_rows_) + (empty_rows_ == 1 ? " row" : " rows") +
                  " with no values (only delimiters) skipped, the first at line " + std::to_string(first_empty_line_));
    t_.rows = rows_;
    if (rows_ == 0) ps_.add(header_line_, 0, "", "the file has a header but no rows: there are no leads to score");
    code_batch();
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
    batch_.resize(kBatchRows * n);
    for (size_t i = 0; i < n; ++i) cols_[i].header = std::string(detail::trim(f[i]));
    detail::check_headers(cols_, line, o_.max_cell_bytes, ps_);
    names_ = detail::name_columns(cols_, line, o_, ps_);
    body_start_ = parser_ ? parser_->bytes_parsed() : 0;
    return true;
  }

  // Rows are coded a column at a time, kBatchRows at once: each column's dictionary and codes
  // stay in cache through its run of lookups, where coding row by row went through all the
  // columns' tables for every row.
  // Codes are still given in row order within a column, so they are the same as row by row.
  [[gnu::noinline]] void code_batch() {
    const size_t rows = batched_, nc = cols_.size();
    if (!detail::kLoadFastPaths || rows == 0) return;
    batched_ = 0;
    const std::string_view* f = batch_.data();
    for (size_t i = 0; i < nc; ++i) {
      RawColumn& c = cols_[i];
      for (size_t r = 0; r < rows; ++r) c.codes.push_back(c.code_of(f[r * nc + i]));
    }
  }

  [[gnu::noinline]] void every_4096_rows() {
    code_batch();
    if (rows_ == kSampleRows) reserve_rows();
    for (RawColumn& c : cols_)
      if (c.dict.overran() || c.dict.repeats_lately()) c.settle(true);
    if ((rows_ & 0xFFFF) == 0) detail::report_progress(o_, parser_ ? parser_->bytes_parsed() : 0, rows_);
  }

  // With the input's size known, the rows still to come are estimated from the bytes per row so
  // far and every per-row vector is reserved once (5 % over): growing them by doubling held the
  // old and the new block at once and left the old ones as holes in wasm's linear memory.
  void reserve_rows() {
    if (!o_.size_hint || !parser_) return;
    const uint64_t used = parser_->bytes_parsed() - body_start_;
    if (used == 0 || o_.size_hint <= parser_->bytes_parsed()) return;
    const double per_row = static_cast<double>(used) / static_cast<double>(rows_);
    const double left = static_cast<double>(o_.size_hint - parser_->bytes_parsed());
    const size_t want = rows_ + static_cast<size_t>(left / per_row * 1.05) + 1024;
    if (want > (size_t{1} << 31)) return;  // (a hint that cannot be right: keep doubling)
    t_.row_line.reserve(want);
    for (RawColumn& c : cols_) {
      c.codes.reserve(want);
      // A column whose first rows are at least 3/4 distinct (ids, e-mails, phones, amounts with
      // cents) gets its texts sized once (growing them held the old and the new block at once)
      // and is read without lookups (StringDict::defer_lookups) until its later rows say it is
      // less unique (every_4096_rows). A column less unique than that, a company name say, gains
      // fewer new texts per row as rows come: sized the same way, it would keep memory it never
      // uses.
      const size_t distinct = c.dict.size();
      if (distinct * 4 < rows_ * 3) continue;
      const double scale = static_cast<double>(want) / static_cast<double>(rows_);
      c.dict.defer_lookups(static_cast<size_t>(static_cast<double>(distinct) * scale),
                           static_cast<size_t>(static_cast<double>(c.dict.texts().text_bytes()) * scale));
    }
  }

  // A row of only delimiters (",,,,", as spreadsheets write empty rows) is not a lead: skipped
  // and counted. True when it was such a row.
  [[gnu::noinline]] bool all_empty(const std::string_view* f, size_t n, size_t line) {
    for (size_t i = 0; i < n; ++i)
      if (!detail::trim(f[i]).empty()) return false;
    if (empty_rows_++ == 0) first_empty_line_ = line;
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
  size_t empty_rows_ = 0, first_empty_line_ = 0;
  uint64_t body_start_ = 0;  // input offset after the header
  static constexpr size_t kSampleRows = 4096;
  static constexpr size_t kBatchRows = 64;
  std::vector<std::string_view> batch_;  // kBatchRows records' fields, row after row
  size_t batched_ = 0;
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
    parser->set_max_field_bytes(opts.max_cell_bytes);
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
  LoadOptions sized = opts;  // the whole text is here: its size sizes the columns once
  if (!sized.size_hint) sized.size_hint = text.size();
  TableLoader loader(sized);
  loader.feed(text.data(), text.size());
  return loader.finish();
}

Table load_table_file(const std::string& path, const LoadOptions& opts) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw LoadError("cannot open " + path);
  LoadOptions sized = opts;
  std::error_code size_error;
  const auto size = std::filesystem::file_size(path, size_error);
  if (!sized.size_hint && !size_error) sized.size_hint = size;
  TableLoader loader(sized);
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
