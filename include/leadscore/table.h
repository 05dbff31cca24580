// The lead table: columnar, typed, loaded once.
//
// text (CSV/TSV/JSON/NDJSON) -> LoadOptions (hints, aliases, missing tokens) -> Table.
// Numbers, booleans and dates are doubles (NaN = missing), stored narrower when exact (Values);
// strings are dictionary-encoded (code -1 = missing). Every cell the loader could not take as
// written is reported as a LoadProblem with its line and column; rows are never dropped.
//
// How text becomes typed columns (readers: csv.h, json_reader.cpp; typing: core/io/columns.cpp):
// - Missing: a cell whose trimmed text equals a missing token, ignoring ASCII case (see
//   LoadOptions::missing, FieldSpec::missing); a short CSV row; a JSON null or absent key.
// - Inference looks at the distinct non-missing texts of a column, in this order:
//   Number   every value a JS-like decimal ("-1.5", ".5", "1e3", " 7 "; not "1,234", "0x1F",
//            "Infinity", "NaN"). A column of only 0/1 is a Number.
//   Boolean  every value one of yes/no/true/false/y/n (any case), possibly mixed with 0/1.
//   Date     every value a date: ISO "2024-03-01", "2024-03-01T09:30[:00[.123]][Z|+02:00]",
//            "2024-03-01 09:30:00"; "03/04/2024", "3/4/24" (see below); "01.03.2024" (D.M.Y).
//            Times without a zone are UTC; values are ms since 1970-01-01T00:00:00Z.
//            Slash dates: any first part > 12 in the column -> D/M/Y, any second part > 12 ->
//            M/D/Y, both -> not a date column; otherwise LoadOptions::date_order, where Auto means
//            M/D/Y and adds a LoadProblem saying so. Two-digit years: 00-68 -> 20xx, 69-99 -> 19xx.
//   String   anything else (texts kept exactly as written, surrounding spaces included).
// - A FieldSpec type hint always wins: a cell that does not parse under it becomes missing and
//   is reported (line, field index, field name). Under a "date" hint, numbers are Excel serial
//   days (25569 = 1970-01-01; 60, Excel's non-existent 1900-02-29, is reported).
// - JSON numbers and booleans go through the same inference as their JSON text (so a column of
//   JSON numbers is a Number column); nested objects/arrays are kept as compact JSON text.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace leadscore {

enum class ColumnType { Number, Boolean, Date, String };

const char* to_string(ColumnType t);  // "number", "boolean", "date", "string"
std::optional<ColumnType> column_type_from_string(const std::string& s);

// A column's numbers (Number, Boolean as 0/1, Date as ms since 1970), stored in the narrowest
// form that gives every value back exactly: one byte each when all are integers 0..254 (booleans,
// counts), four when all are integers in int32 range (sizes, days) or whole days (dates without a
// time of day: ms / 86,400,000), else eight. operator[] returns the double (NaN = missing), so
// readers never see the storage; kernels that do (the compiler, the scorer) switch on kind().
// -0.0 and NaN payloads are not kept in the narrow forms, so columns holding -0.0 stay doubles.
class Values {
 public:
  enum class Kind : uint8_t { F64, I32, U8 };
  static constexpr uint8_t kMissingU8 = 255;
  static constexpr int32_t kMissingI32 = INT32_MIN;

  Values() = default;
  Values(const std::vector<double>& v) { assign(v.data(), v.size()); }  // NOLINT: implicit, packs
  Values(std::initializer_list<double> v) { assign(v.begin(), v.size()); }
  Values& operator=(const std::vector<double>& v) {
    assign(v.data(), v.size());
    return *this;
  }
  void assign(const double* v, size_t n);

  class Builder;  // below
  friend class Builder;

  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  double operator[](size_t i) const {
    switch (kind_) {
      case Kind::U8:
        return u8_[i] == kMissingU8 ? NAN : (double)u8_[i];
      case Kind::I32:
        return i32_[i] == kMissingI32 ? NAN : (double)i32_[i] * scale_;
      default:
        return f64_[i];
    }
  }
  bool is_missing(size_t i) const {
    switch (kind_) {
      case Kind::U8:
        return u8_[i] == kMissingU8;
      case Kind::I32:
        return i32_[i] == kMissingI32;
      default:
        return f64_[i] != f64_[i];
    }
  }
  // How many values are missing: one pass over the storage (not a switch per value).
  size_t missing() const;
  // Whether every value present is an integer of magnitude below 2^53, and the largest magnitude
  // (0 without values): what exact integer sums need to know. One pass over the storage.
  bool integers(double* max_abs) const;
  // The largest magnitude of a value present (0 without values; Infinity never occurs: values
  // are finite). Kept since the values were built: rules ask it per compile (per-unit limits,
  // date kernels), and a pass over a million values per question added up.
  double max_abs() const { return max_abs_; }
  // Values [i0, i0 + n) as doubles into out, a missing value as `missing`.
  void decode(size_t i0, size_t n, double* out, double missing = NAN) const;
  std::vector<double> to_vector() const;

  Kind kind() const { return kind_; }
  const double* f64() const { return f64_.data(); }
  const int32_t* i32() const { return i32_.data(); }
  const uint8_t* u8() const { return u8_.data(); }
  double scale() const { return scale_; }  // I32: value = code x scale (1, or 86,400,000 for whole days)

 private:
  void reserve(size_t n);                  // room for n values in the current kind
  void encode(const double* v, size_t n);  // appends, in the current kind (the values fit it)
  Kind kind_ = Kind::F64;
  size_t n_ = 0;
  double scale_ = 1;
  double max_abs_ = 0;
  std::vector<double> f64_;
  std::vector<int32_t> i32_;
  std::vector<uint8_t> u8_;
};

// Builds a Values block by block (the loaders: no array of doubles first). Starts with one byte
// per value and widens, re-encoding what it has, when a block holds a value that does not fit:
// the result is the narrowest exact storage for all the values, as Values::assign() gives.
class Values::Builder {
 public:
  explicit Builder(size_t expected = 0) : expected_(expected) { out_.kind_ = Kind::U8; }
  void append(const double* v, size_t n);
  Values finish() {
    out_.max_abs_ = max_abs_;
    return std::move(out_);
  }

 private:
  Values out_;
  size_t expected_;
  double max_abs_ = 0;
  bool u8_ = true, i32_ = true, days_ = true;  // what every value so far fits
};

// The distinct texts of a String column, in first-seen order: one byte buffer and the end offset
// of each entry. A column of 1M distinct e-mails costs their bytes + 4 B each, where a
// std::string per entry cost 32 B (12 in wasm) and, past the short-string buffer, a heap block.
// `std::string_view s = dict[i]` is the way to read an entry; it stays valid until the next
// push_back. At most 4 GiB of text per column (push_back throws std::length_error beyond).
class TextDictionary {
 public:
  class iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    iterator(const TextDictionary* d, size_t i) : d_(d), i_(i) {}
    std::string_view operator*() const { return (*d_)[i_]; }
    iterator& operator++() { return ++i_, *this; }
    iterator operator++(int) { return iterator(d_, i_++); }
    iterator& operator--() { return --i_, *this; }
    iterator operator+(difference_type n) const { return iterator(d_, i_ + static_cast<size_t>(n)); }
    iterator operator-(difference_type n) const { return iterator(d_, i_ - static_cast<size_t>(n)); }
    iterator& operator+=(difference_type n) { return i_ += static_cast<size_t>(n), *this; }
    difference_type operator-(const iterator& o) const {
      return static_cast<difference_type>(i_) - static_cast<difference_type>(o.i_);
    }
    std::string_view operator[](difference_type n) const { return (*d_)[i_ + static_cast<size_t>(n)]; }
    bool operator==(const iterator& o) const { return i_ == o.i_; }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }
    bool operator<(const iterator& o) const { return i_ < o.i_; }

   private:
    const TextDictionary* d_;
    size_t i_;
  };
  using const_iterator = iterator;
  using value_type = std::string_view;

  TextDictionary() = default;
  TextDictionary(std::initializer_list<std::string_view> texts) {
    for (std::string_view s : texts) push_back(s);
  }

  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view operator[](size_t i) const {
    const size_t b = i ? ends_[i - 1] : 0;
    return std::string_view(bytes_.data() + b, ends_[i] - b);
  }
  std::string_view back() const { return (*this)[size() - 1]; }
  iterator begin() const { return iterator(this, 0); }
  iterator end() const { return iterator(this, size()); }

  void push_back(std::string_view s) {
    if (s.size() > UINT32_MAX - bytes_.size())
      throw std::length_error("a text column holds more than 4 GiB of distinct text");
    bytes_.append(s.data(), s.size());
    ends_.push_back(static_cast<uint32_t>(bytes_.size()));
  }
  void reserve(size_t entries, size_t bytes = 0) {
    ends_.reserve(entries);
    if (bytes) bytes_.reserve(bytes);
  }
  void clear() {
    bytes_.clear();
    ends_.clear();
  }
  void shrink_to_fit() {
    bytes_.shrink_to_fit();
    ends_.shrink_to_fit();
  }
  // Removes the entries i with drop[i] != 0 in place (the others keep their order).
  void erase_marked(const std::vector<uint8_t>& drop);
  // The bytes held (texts plus offsets), for memory accounting.
  size_t heap_bytes() const { return bytes_.capacity() + ends_.capacity() * sizeof(uint32_t); }
  size_t text_bytes() const { return bytes_.size(); }
  // The texts back to back, entry i ending at ends()[i] (for searches over all entries at once).
  std::string_view all_text() const { return bytes_; }
  const uint32_t* ends() const { return ends_.data(); }
  std::vector<std::string> to_strings() const { return std::vector<std::string>(begin(), end()); }

  bool operator==(const TextDictionary& o) const { return ends_ == o.ends_ && bytes_ == o.bytes_; }
  bool operator!=(const TextDictionary& o) const { return !(*this == o); }

 private:
  std::string bytes_;
  std::vector<uint32_t> ends_;
};

struct Column {
  std::string name;    // canonical name (a declared field name if a header/alias matched, else the header;
                       // dots become '_' in undeclared headers ("emp.var.rate" -> "emp_var_rate", since a
                       // JsonLogic var reads a dot as nesting); an empty header is "column_N" (1-based),
                       // a repeated name gets "_2", "_3"...)
  std::string header;  // header as written in the file (after BOM/whitespace trim)
  ColumnType type = ColumnType::String;
  bool date_has_time = false;  // Date columns: whether any value carried a time of day
  Values num;                  // Number/Boolean(0/1)/Date(ms since 1970-01-01T00:00:00Z, UTC); NaN = missing
  std::vector<int32_t> codes;  // String: index into dict; -1 = missing
  TextDictionary dict;         // String: distinct values in first-seen order
  // Cells that value_text() does not give back as written ("$1,200.50", "Yes", "5.0", "Select",
  // "03/04/2024", a cell kept as missing because it did not read as the column's type): per row
  // an index into `spellings`, -1 where value_text() is the text as read. Empty when every cell
  // reads back exactly. Exports write cells as read (text_as_read), so a round trip changes nothing.
  // One byte per row while there are fewer than 255 spellings (Yes/No, "N/A", "Select"), else four.
  std::vector<uint8_t> spelling_u8;  // 255 = the cell reads back as value_text()
  std::vector<int32_t> spelling;
  std::vector<std::string> spellings;
  int32_t spelling_of(size_t row) const {
    if (!spelling_u8.empty()) return spelling_u8[row] == 255 ? -1 : spelling_u8[row];
    return spelling.empty() ? -1 : spelling[row];
  }

  bool is_missing(size_t row) const;
  // Of rows [0, rows), how many have no value: what is_missing counts, in one pass.
  size_t missing(size_t rows) const;
  // The value as JsonLogic sees it: number, true/false, string (dates as ISO 8601:
  // "2024-03-01" or "2024-03-01T09:30:00Z"), or null when missing.
  nlohmann::json value_json(size_t row) const;
  // The value as text for display/CSV output ("" when missing): numbers like JavaScript prints
  // them (1.5 -> "1.5", 3 -> "3"), booleans "true"/"false", dates as in value_json.
  std::string value_text(size_t row) const;
  // The cell's text as it was in the input (a short CSV row or an absent JSON key: "").
  std::string text_as_read(size_t row) const {
    const int32_t k = spelling_of(row);
    return k >= 0 ? spellings[static_cast<size_t>(k)] : value_text(row);
  }
};

struct LoadProblem {
  size_t line = 0;      // 1-based physical line in the input where the record/cell starts (0 = whole file)
  size_t column = 0;    // 1-based field index (CSV) or 0 when not applicable
  std::string field;    // column name, when applicable
  std::string message;  // what happened and what was done ("kept as missing", "extra fields ignored", ...)
};

struct Table {
  std::string format;  // "csv", "json", "ndjson"
  char delimiter = 0;  // detected CSV delimiter (',', ';', '\t', '|'), 0 for JSON
  size_t rows = 0;
  std::vector<Column> columns;
  std::vector<LoadProblem> problems;
  std::vector<size_t> row_line;  // 1-based input line where each row starts

  // Index of the column whose name (or header) is `name`; -1 if none. Tries the names exactly,
  // then the headers exactly, then normalize_header(name) against names and headers.
  int find(const std::string& name) const;
  // A row as a JSON object {name: value}; missing cells are omitted (JsonLogic sees them as absent).
  nlohmann::json row_json(size_t row) const;
};

// A declared field. A header matches it when normalize_header(header) equals normalize_header
// of the name or of an alias; the column is then named `name` (Column::header keeps the text).
// A second header matching the same field keeps its own name (and a LoadProblem says so).
struct FieldSpec {
  std::string name;
  std::optional<ColumnType> type;    // hint: wins over inference
  std::vector<std::string> aliases;  // extra header spellings that map to this field
  std::vector<std::string> missing;  // extra missing tokens for this field
};

struct LoadOptions {
  std::string format = "auto";  // "auto", "csv", "tsv", "json", "ndjson"
  char delimiter = 0;           // 0 = detect among , ; \t |
  // Cell texts that mean "no value". A cell is missing when its text, with surrounding whitespace
  // trimmed, equals one of these ignoring ASCII case ("UNKNOWN", "none" and "n/A" are missing too).
  // FieldSpec::missing adds tokens for one field. An empty list turns the global tokens off.
  std::vector<std::string> missing = {"",     "N/A", "NA",     "n/a",     "null",   "NULL",
                                      "None", "-",   "Select", "unknown", "Unknown"};
  std::vector<FieldSpec> fields;                                         // declared fields (from the rule set)
  enum class DateOrder { Auto, MDY, DMY } date_order = DateOrder::Auto;  // for 03/04/2024 style dates
  // The decimal separator of formatted numbers ("1.234,5", "12,5"): '.' or ','; 0 = detect per
  // column from its values (values like "1,234" that read both ways: a comma in ';'-delimited
  // files, else a point, and a note says so).
  char decimal = 0;
  // false: columns without a type hint stay String (texts exactly as written); hints still apply.
  bool infer_types = true;
  // Called about every 64k rows and every 1 MB of input with (bytes parsed, rows parsed so far),
  // and once when parsing ends. Returning false cancels: the load throws LoadError("cancelled").
  std::function<bool(size_t bytes_read, size_t rows_parsed)> progress;
  // At most this many LoadProblems are listed (0 = no limit); beyond it one closing problem says
  // how many more there were.
  size_t max_problems = 0;
  // Limits (docs/limits.md); exceeding one throws LoadError with code "limit". 0 = no limit.
  size_t max_cell_bytes = 1u << 20;  // one cell / JSON value (kMaxCellBytes)
  size_t max_columns = 16384;        // columns (kMaxColumns)
  uint64_t max_bytes = 0;            // input size (the WebAssembly build sets kBrowserMaxBytes)
  // The input's size in bytes when known up front (a File's size), 0 = unknown. Only a hint: a
  // CSV load then sizes its per-row storage once from the first rows instead of doubling it as
  // rows come (which, in wasm memory that never shrinks, made the peak ~2.7x the final table).
  uint64_t size_hint = 0;
};

// Thrown when the input cannot be read as a table at all (not for per-cell problems).
// line/column are 1-based (0 = unknown); column counts UTF-8 characters within the line (for
// limit/encoding errors about one cell: the 1-based field index, and `field` its column name).
// code: "load" (not readable as CSV/JSON: unterminated quote, invalid JSON, wrong shape),
// "empty", "limit", "format" (a file of another kind: XLSX, HTML, PDF...), "encoding"
// (UTF-16, NUL bytes), "cancelled".
struct LoadError : std::runtime_error {
  size_t line = 0, column = 0;
  std::string code = "load";
  std::string field;
  LoadError(const std::string& msg, size_t line_ = 0, size_t column_ = 0)
      : std::runtime_error(msg), line(line_), column(column_) {}
  LoadError(std::string code_, const std::string& msg, size_t line_, size_t column_, std::string field_ = "")
      : std::runtime_error(msg), line(line_), column(column_), code(std::move(code_)), field(std::move(field_)) {}
};

// Header normalisation used for matching: lower-case, keep [a-z0-9] only ("Job Title" -> "jobtitle").
std::string normalize_header(const std::string& s);

// Format "auto": the first non-space character (after a UTF-8 BOM) decides: '[' -> json,
// '{' -> ndjson, anything else -> csv (delimiter detected unless given).
Table load_table(const std::string& text, const LoadOptions& opts = {});
// Reads the file in 1 MB pieces (CSV is parsed as it is read; JSON is parsed once complete).
Table load_table_file(const std::string& path, const LoadOptions& opts = {});

// Incremental loading, e.g. from a browser worker: feed() the input in pieces split anywhere
// (even inside a quoted field or a UTF-8 character), then finish(). Same result as load_table
// on the concatenated text. CSV is parsed as it arrives; JSON/NDJSON is kept and parsed by finish().
class TableLoader {
 public:
  explicit TableLoader(const LoadOptions& opts = {});
  ~TableLoader();
  TableLoader(const TableLoader&) = delete;
  TableLoader& operator=(const TableLoader&) = delete;
  void feed(const char* data, size_t len);
  Table finish();  // call once; throws LoadError

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadscore
