// Streaming CSV/TSV tokenizer (RFC 4180 plus what real exports do).
//
// - Fields may be quoted; "" inside quotes is a quote; quoted fields may hold delimiters and
//   line breaks (kept exactly as written, CRLF included).
// - A quote is special only at the very start of a field: 12"3 is the text 12"3.
// - Text after a closing quote ("abc"def) is kept (abcdef) and reported; spaces/tabs after a
//   closing quote are dropped silently.
// - Records end at LF, CRLF or a lone CR. A UTF-8 BOM at the start is skipped.
// - Lines are counted the same way (LF, CRLF, lone CR), inside quoted fields too.
// - Input arrives through feed() in pieces split anywhere; records are handed to a Handler as
//   soon as they are complete. Fields are views into the caller's piece or the parser's own
//   buffers (no per-field heap allocation); they are valid only during the Handler call. The
//   parser keeps only the bytes of the record in progress between pieces.
// - Structure (delimiters, line breaks, quotes) is found 64 bytes at a time with vector compares
//   (wasm simd128, SSE2 natively) into bit masks; a field ends at the next set bit.
// - Whitespace is not trimmed and there are no missing values at this level: that is the
//   table loader's business (table.cpp, columns.cpp).
// - An unterminated quoted field at the end of input throws LoadError with the line and
//   column where the quote opened.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::csv {

class Handler {
 public:
  virtual ~Handler() = default;
  // One record. `line` is the 1-based line where it starts; `any_quoted` whether any of its
  // fields was quoted (a lone unquoted empty field is a blank line).
  virtual void record(const std::string_view* fields, size_t count, size_t line, bool any_quoted) = 0;
  // Something the tokenizer accepted but wants reported (1-based field index).
  virtual void problem(size_t line, size_t column, const std::string& message) = 0;
  // The name of the column at a 1-based field index, once the header is known ("" before).
  virtual std::string field_name(size_t column) const {
    (void)column;
    return "";
  }
  // Called before feed() and finish() return: the fields of a record for which
  // Parser::record_lasts() was true stay valid until then, so a handler may hold them till here.
  virtual void end_of_piece() {}
};

// Picks the delimiter among , ; \t | from a sample: for each candidate the sample is tokenized
// (quotes respected) and the candidate giving the same field count > 1 on every record wins;
// ties go to the one leaving fewer quotes inside unquoted fields (it does not cut through quoted
// fields), then to more fields, then to the order , \t ; |. Without a consistent candidate, the one
// whose records most often match its header's field count (> 1) wins. Returns ',' when no
// candidate splits the header. `complete`: the sample is the whole input (else its last,
// possibly cut, record is ignored).
char detect_delimiter(std::string_view sample, bool complete);

class Parser {
 public:
  // delimiter 0 = detect from the first 64 KB (or the whole input if shorter); until then the
  // input is collected, so small inputs are parsed by finish(). The Handler may throw (e.g. to
  // cancel); the parser is then unusable.
  Parser(Handler& handler, char delimiter = 0);
  void feed(const char* data, size_t len);
  void finish();  // the last record may lack a line break; throws LoadError on an open quote

  char delimiter() const { return delim_; }
  // Input bytes up to the end of the last record handed to the Handler.
  uint64_t bytes_parsed() const { return parsed_abs_; }
  uint64_t bytes_fed() const { return fed_; }
  // During Handler::record: whether the record's fields stay valid until Handler::end_of_piece
  // (they point into the piece being fed, not into the parser's own buffers).
  bool record_lasts() const { return record_lasts_; }

  static constexpr size_t kSampleBytes = 64 * 1024;

  // Refuse, while reading, a field longer than this (0 = no limit): a line with no end (an
  // endless stream, a missing closing quote) then stops at the limit instead of being held
  // whole. Raw bytes are counted; a quoted field only stops once its raw length shows the
  // value itself is over the limit. The exact check is the loader's (check_cells).
  void set_max_field_bytes(size_t n) { max_field_ = n; }

 private:
  enum State : uint8_t { FieldStart, Unquoted, Quoted, AfterQuote };
  enum Kind : uint8_t { Plain, QuotedClean, Complex };
  struct Span {
    size_t begin, end;  // raw bytes of the field, relative to the current base
    Kind kind;
  };

  void start(const char* base, size_t len, bool final);
  void run(const char* base, size_t len, bool final);
  void run_in_place(const char* data, size_t len);  // run() over the caller's piece, then end_of_piece()
  void emit(const char* base, size_t next);
  void decode_complex(const char* base, size_t nfields);
  void keep_tail(const char* base, size_t len, bool in_place);
  [[noreturn]] void unterminated(const char* base);
  void check_open_field() const;

  Handler& h_;
  char delim_;
  bool started_ = false;
  uint8_t special_[256] = {};   // delimiter, \n, \r: end an unquoted field
  uint8_t qspecial_[256] = {};  // ", \n, \r: interesting inside a quoted field

  std::string buf_;       // bytes from the start of the unfinished record (+ new input)
  uint64_t buf_abs_ = 0;  // input offset of buf_[0] (or of the in-place chunk)
  uint64_t fed_ = 0;
  uint64_t parsed_abs_ = 0;

  State st_ = FieldStart;
  Kind field_kind_ = Plain;
  size_t pos_ = 0;        // where scanning resumes (relative to base)
  size_t rec_start_ = 0;  // start of the unfinished record (relative to base)
  size_t field_begin_ = 0;
  std::vector<Span> spans_;  // used as a buffer: the first nspans_ are the current record's
  size_t nspans_ = 0;
  bool any_quoted_ = false;
  bool in_place_ = false;  // run() is reading the caller's piece (or, in finish(), the last bytes)
  bool record_lasts_ = false;

  size_t line_ = 1;      // line at pos_
  size_t rec_line_ = 1;  // line where the current record starts
  uint64_t line_start_abs_ = 0;
  size_t quote_line_ = 0;  // where the open quoted field started
  uint64_t quote_abs_ = 0, quote_line_start_abs_ = 0;

  size_t max_field_ = 0;

  std::vector<std::string_view> views_;
  std::string scratch_;
  std::vector<size_t> scratch_off_;
};

}  // namespace leadscore::csv
