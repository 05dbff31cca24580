// Streaming CSV tokenizer (see csv.h).
#include "io/csv.h"

#include <algorithm>
#include <cstring>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>  // (clang's header, not Emscripten's)
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "io/text.h"
#include "leadscore/limits.h"
#include "leadscore/table.h"

namespace leadscore::csv {

// ---------------------------------------------------------------- delimiter detection

namespace {

// Field counts of the first `max_records` non-blank records when split on `d`; `stray` counts
// quotes inside unquoted fields (a sign that `d` cuts through quoted fields).
std::vector<size_t> count_fields(std::string_view s, char d, bool complete, size_t max_records, size_t& stray) {
  std::vector<size_t> counts;
  stray = 0;
  size_t fields = 1;
  bool in_q = false, at_start = true, empty = true;
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const char c = s[i];
    if (in_q) {
      if (c == '"') {
        if (i + 1 < n && s[i + 1] == '"') {
          i += 2;
          continue;
        }
        in_q = false;
      }
      ++i;
      continue;
    }
    if (c == '"' && at_start) {
      in_q = true;
      at_start = false;
      empty = false;
    } else if (c == d) {
      ++fields;
      at_start = true;
      empty = false;
    } else if (c == '\n' || c == '\r') {
      if (!(fields == 1 && empty)) {
        counts.push_back(fields);
        if (counts.size() >= max_records) return counts;
      }
      fields = 1;
      at_start = empty = true;
      if (c == '\r' && i + 1 < n && s[i + 1] == '\n') ++i;
    } else {
      if (c == '"') ++stray;
      at_start = false;
      empty = false;
    }
    ++i;
  }
  // The last record: whole when the sample is the whole input; else only when it is all we have.
  if (!(fields == 1 && empty) && (complete || counts.empty())) counts.push_back(fields);
  return counts;
}

}  // namespace

char detect_delimiter(std::string_view sample, bool complete) {
  static const char kCandidates[4] = {',', '\t', ';', '|'};
  char best = ',';
  bool best_consistent = false;
  double best_share = 0;
  size_t best_fields = 0, best_stray = 0;
  for (char d : kCandidates) {
    size_t stray = 0;
    const std::vector<size_t> counts = count_fields(sample, d, complete, 50, stray);
    if (counts.empty() || counts[0] < 2) continue;
    const size_t header = counts[0];
    const size_t same = static_cast<size_t>(std::count(counts.begin(), counts.end(), header));
    const bool consistent = same == counts.size();
    const double share = static_cast<double>(same) / static_cast<double>(counts.size());
    bool better;
    if (best_fields == 0)
      better = true;
    else if (consistent != best_consistent)
      better = consistent;
    else if (!consistent && share != best_share)
      better = share > best_share;
    else if (stray != best_stray)
      better = stray < best_stray;
    else
      better = header > best_fields;  // equal: keep the earlier candidate
    if (better) {
      best = d;
      best_consistent = consistent;
      best_share = share;
      best_fields = header;
      best_stray = stray;
    }
  }
  return best;
}

// ---------------------------------------------------------------- parser

namespace {

// Structure is found 64 bytes at a time: one pass of vector compares gives two 64-bit masks, the
// bytes that end an unquoted field (delimiter, LF, CR) and those that matter inside a quoted one
// (quote, LF, CR); a field then ends at the next set bit (a count of trailing zeros) rather than
// after a byte or word loop of its own. The masks of the current block are kept while the fields
// in it are read. wasm simd128 in the browser, SSE2 natively; a byte loop elsewhere.
struct Block {
  size_t at = ~size_t{0} >> 1;  // first byte the masks cover (relative to the base); none yet
  uint64_t ends = 0;            // bit i: byte at + i is the delimiter, LF or CR
  uint64_t quoted = 0;          // bit i: byte at + i is a quote, LF or CR
};

#if defined(__wasm_simd128__)
inline uint64_t bits16(v128_t x) { return static_cast<uint64_t>(wasm_i8x16_bitmask(x)); }
inline void block_masks(const char* p, char d, Block& k) {
  const v128_t vd = wasm_i8x16_splat(d), lf = wasm_i8x16_splat('\n'), cr = wasm_i8x16_splat('\r'),
               q = wasm_i8x16_splat('"');
  uint64_t e = 0, qm = 0;
  for (int i = 0; i < 4; ++i) {
    const v128_t v = wasm_v128_load(p + 16 * i);
    const v128_t br = wasm_v128_or(wasm_i8x16_eq(v, lf), wasm_i8x16_eq(v, cr));
    e |= bits16(wasm_v128_or(br, wasm_i8x16_eq(v, vd))) << (16 * i);
    qm |= bits16(wasm_v128_or(br, wasm_i8x16_eq(v, q))) << (16 * i);
  }
  k.ends = e;
  k.quoted = qm;
}
#elif defined(__SSE2__)
inline uint64_t bits16(__m128i x) { return static_cast<uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(x))); }
inline void block_masks(const char* p, char d, Block& k) {
  const __m128i vd = _mm_set1_epi8(d), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), q = _mm_set1_epi8('"');
  uint64_t e = 0, qm = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i br = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
    e |= bits16(_mm_or_si128(br, _mm_cmpeq_epi8(v, vd))) << (16 * i);
    qm |= bits16(_mm_or_si128(br, _mm_cmpeq_epi8(v, q))) << (16 * i);
  }
  k.ends = e;
  k.quoted = qm;
}
#else
inline void block_masks(const char* p, char d, Block& k) {
  uint64_t e = 0, qm = 0;
  for (int i = 0; i < 64; ++i) {
    const char c = p[i];
    const bool br = c == '\n' || c == '\r';
    e |= static_cast<uint64_t>(br || c == d) << i;
    qm |= static_cast<uint64_t>(br || c == '"') << i;
  }
  k.ends = e;
  k.quoted = qm;
}
#endif

inline unsigned ctz64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<unsigned>(__builtin_ctzll(x));
#else
  unsigned i = 0;
  while (!(x & 1)) x >>= 1, ++i;
  return i;
#endif
}

// First index >= p whose byte is in `tbl` (the set the `quoted` flag selects), or n. The last
// bytes (< 64 left) are read one at a time.
inline size_t scan(const char* b, size_t p, size_t n, const uint8_t* tbl, char d, Block& k, bool quoted) {
  for (;;) {
    if (p >= k.at && p - k.at < 64) {
      const uint64_t m = (quoted ? k.quoted : k.ends) >> (p - k.at);
      if (m) return p + ctz64(m);
      p = k.at + 64;
    }
    if (p > n || n - p < 64) break;
    k.at = p;
    block_masks(b + p, d, k);
  }
  while (p < n && !tbl[static_cast<unsigned char>(b[p])]) ++p;
  return p;
}

}  // namespace

// Length of a leading "sep=X" line with its line break, or 0.
static size_t sep_line_length(const char* b, size_t n) {
  if (n < 6 || !(b[0] == 's' || b[0] == 'S') || !(b[1] == 'e' || b[1] == 'E') || !(b[2] == 'p' || b[2] == 'P') ||
      b[3] != '=')
    return 0;
  const char d = b[4];
  if (d == '"' || d == '\n' || d == '\r') return 0;
  if (b[5] == '\n') return 6;
  if (b[5] == '\r') return n >= 7 && b[6] == '\n' ? 7 : 6;
  return 0;
}

Parser::Parser(Handler& handler, char delimiter) : h_(handler), delim_(delimiter), spans_(64) {
  qspecial_[static_cast<unsigned char>('"')] = 1;
  qspecial_[static_cast<unsigned char>('\n')] = 1;
  qspecial_[static_cast<unsigned char>('\r')] = 1;
}

void Parser::start(const char* b, size_t n, bool final) {
  started_ = true;
  size_t p = 0;
  if (n >= 3 && static_cast<unsigned char>(b[0]) == 0xEF && static_cast<unsigned char>(b[1]) == 0xBB &&
      static_cast<unsigned char>(b[2]) == 0xBF)
    p = 3;
  // Excel writes "sep=;" as the first line of a CSV whose delimiter is not the locale's: it names
  // the delimiter (an explicit one given to the parser still wins) and is not a record.
  const size_t sep = sep_line_length(b + p, n - p);
  if (sep) {
    if (!delim_) delim_ = b[p + 4];
    p += sep;
    line_ = rec_line_ = 2;
  }
  pos_ = rec_start_ = p;
  line_start_abs_ = parsed_abs_ = buf_abs_ + p;
  if (!delim_) {
    const size_t m = std::min(n - p, kSampleBytes);
    delim_ = detect_delimiter(std::string_view(b + p, m), final && m == n - p);
  }
  special_[static_cast<unsigned char>(delim_)] = 1;
  special_[static_cast<unsigned char>('\n')] = 1;
  special_[static_cast<unsigned char>('\r')] = 1;
}

void Parser::feed(const char* data, size_t len) {
  if (len == 0) return;
  fed_ += len;
  if (!started_) {
    const size_t need = delim_ ? 8 : kSampleBytes;  // room for a BOM and a "sep=X" line
    if (buf_.empty() && len >= need) {
      start(data, len, false);
      run_in_place(data, len);
      keep_tail(data, len, true);
      return;
    }
    buf_.append(data, len);
    if (buf_.size() < need) return;
    start(buf_.data(), buf_.size(), false);
    run(buf_.data(), buf_.size(), false);
    keep_tail(buf_.data(), buf_.size(), false);
    return;
  }
  if (!buf_.empty()) {
    // Finish the carried record with the first bytes of the new piece; once it is done, go on
    // in place in `data` rather than copying all of it.
    const size_t carry = buf_.size();
    const size_t k = std::min(len, kSampleBytes);
    buf_.append(data, k);
    run(buf_.data(), buf_.size(), false);
    if (rec_start_ < carry) {  // still inside the carried record: take the whole piece
      buf_.append(data + k, len - k);
      run(buf_.data(), buf_.size(), false);
      keep_tail(buf_.data(), buf_.size(), false);
      return;
    }
    // The unfinished record now starts inside `data`: rebase from buf_ to data.
    buf_.clear();
    buf_abs_ += carry;
    pos_ -= carry;
    rec_start_ -= carry;
    if (st_ != FieldStart) field_begin_ -= carry;
    for (size_t i = 0; i < nspans_; ++i) {
      spans_[i].begin -= carry;
      spans_[i].end -= carry;
    }
  }
  run_in_place(data, len);
  keep_tail(data, len, true);
}

void Parser::run_in_place(const char* data, size_t len) {
  in_place_ = true;
  run(data, len, false);
  in_place_ = false;
  h_.end_of_piece();
}

void Parser::finish() {
  if (!started_) start(buf_.data(), buf_.size(), true);
  const char* b = buf_.data();
  const size_t n = buf_.size();
  in_place_ = true;  // buf_ does not change before end_of_piece() below
  run(b, n, true);
  if (st_ == Quoted) unterminated(b);
  if (st_ != FieldStart || nspans_ > 0) {
    if (st_ == FieldStart) {
      field_begin_ = n;
      field_kind_ = Plain;
    }
    if (nspans_ == spans_.size()) spans_.resize(spans_.size() * 2);
    spans_[nspans_++] = Span{field_begin_, n, field_kind_};
    st_ = FieldStart;
    emit(b, n);
  }
  in_place_ = false;
  h_.end_of_piece();
  buf_abs_ += n;
  buf_.clear();
  pos_ = rec_start_ = 0;
}

// Keeps the unfinished record's bytes for the next piece and rebases offsets to them.
void Parser::keep_tail(const char* base, size_t len, bool in_place) {
  const size_t cut = rec_start_;
  if (in_place)
    buf_.assign(base + cut, len - cut);
  else if (cut > 0)
    buf_.erase(0, cut);
  buf_abs_ += cut;
  pos_ -= cut;
  rec_start_ = 0;
  if (st_ != FieldStart) field_begin_ -= cut;
  for (size_t i = 0; i < nspans_; ++i) {
    spans_[i].begin -= cut;
    spans_[i].end -= cut;
  }
  check_open_field();
}

void Parser::check_open_field() const {
  if (!max_field_ || st_ == FieldStart) return;
  const size_t raw = pos_ - field_begin_;
  // Unquoted, raw bytes are the value; quoted, each value byte takes at most two ("") plus the quotes.
  if (st_ == Unquoted ? raw <= max_field_ : raw <= 2 * max_field_ + 2) return;
  const size_t line = st_ == Unquoted ? line_ : quote_line_;
  const std::string name = h_.field_name(nspans_ + 1);
  throw LoadError("limit",
                  "the value " + (name.empty() ? std::string() : "in \"" + name + "\" ") + "at line " +
                      std::to_string(line) + ", field " + std::to_string(nspans_ + 1) + " is longer than " +
                      format_bytes(max_field_) + " (reading stopped there); the limit is " + format_bytes(max_field_) +
                      " per cell. Check that the file is really a table (a missing closing quote can swallow the "
                      "rest of the file into one cell), or shorten the value",
                  line, nspans_ + 1, name);
}

void Parser::run(const char* b, size_t n, bool final) {
  // The state lives in locals while scanning and is written back on exit and before emit().
  // A field is normally read start to end in one go; the switch is only re-entered to resume
  // a field cut by the end of the input seen so far.
  size_t p = pos_;
  State st = st_;
  Kind kind = field_kind_;
  size_t fb = field_begin_;
  size_t line = line_;
  uint64_t line_start = line_start_abs_;
  size_t q_line = quote_line_;  // where the open quoted field started
  uint64_t q_line_start = quote_line_start_abs_;
  const uint64_t abs = buf_abs_;
  const char d = delim_;
  const uint8_t* sp = special_;
  const uint8_t* qsp = qspecial_;
  Block blk;
  size_t ns = nspans_;
  Span* spans = spans_.data();
  size_t cap = spans_.size();
  for (;;) {
    switch (st) {
      case FieldStart:
        if (p >= n) goto out;
        fb = p;
        if (b[p] != '"') {
          kind = Plain;
          st = Unquoted;
          p = scan(b, p, n, sp, d, blk, false);
          if (p >= n) goto out;
          break;
        }
        kind = QuotedClean;
        any_quoted_ = true;
        q_line = line;
        q_line_start = line_start;
        st = Quoted;
        ++p;
        [[fallthrough]];
      case Quoted:
        for (;;) {
          p = scan(b, p, n, qsp, d, blk, true);
          if (p >= n) goto out;
          const char c = b[p];
          if (c == '"') {
            if (p + 1 >= n) {  // a doubled quote or the closing one?
              if (!final) goto out;
              ++p;
              st = AfterQuote;
              goto after_quote;
            }
            if (b[p + 1] == '"') {
              kind = Complex;
              p += 2;
              continue;
            }
            ++p;
            st = AfterQuote;                              // (so that a CR waiting for its LF resumes correctly)
            if (!sp[static_cast<unsigned char>(b[p])]) {  // text after the closing quote
              kind = Complex;
              st = Unquoted;
              p = scan(b, p, n, sp, d, blk, false);
              if (p >= n) goto out;
            }
            break;
          }
          if (c == '\n') {
            ++p;
            ++line;
            line_start = abs + p;
          } else if (p + 1 >= n) {  // '\r' as the last byte: is it CRLF?
            if (!final) goto out;
            ++p;
            ++line;
            line_start = abs + p;
          } else {
            ++p;
            if (b[p] != '\n') {
              ++line;
              line_start = abs + p;
            }
          }
        }
        break;
      case Unquoted:
        p = scan(b, p, n, sp, d, blk, false);
        if (p >= n) goto out;
        break;
      case AfterQuote:
      after_quote:
        if (p >= n) goto out;
        if (!sp[static_cast<unsigned char>(b[p])]) {  // text after the closing quote
          kind = Complex;
          st = Unquoted;
          continue;
        }
        break;
    }
    // b[p] ends the field that started at fb: a delimiter or a line break
    {
      const char c = b[p];
      if (ns == cap) {
        spans_.resize(cap * 2);
        spans = spans_.data();
        cap = spans_.size();
      }
      if (c == d) {
        spans[ns++] = Span{fb, p, kind};
        ++p;
        st = FieldStart;
        continue;
      }
      size_t q = p + 1;
      if (c == '\r') {
        if (q >= n) {
          if (!final) goto out;  // wait for the next byte: it may be the LF of a CRLF
        } else if (b[q] == '\n') {
          ++q;
        }
      }
      spans[ns++] = Span{fb, p, kind};
      ++line;
      line_start = abs + q;
      st = FieldStart;
      nspans_ = ns;
      line_ = line;
      line_start_abs_ = line_start;
      st_ = st;
      emit(b, q);
      ns = 0;
      p = q;
    }
  }
out:
  pos_ = p;
  st_ = st;
  field_kind_ = kind;
  field_begin_ = fb;
  line_ = line;
  line_start_abs_ = line_start;
  quote_line_ = q_line;
  quote_line_start_abs_ = q_line_start;
  quote_abs_ = abs + fb;
  nspans_ = ns;
}

void Parser::emit(const char* b, size_t next) {
  parsed_abs_ = buf_abs_ + next;
  const size_t nf = nspans_;
  if (views_.size() < nf) views_.resize(nf);
  bool complex = false;
  for (size_t i = 0; i < nf; ++i) {
    const Span& s = spans_[i];
    if (s.kind == Plain) {
      views_[i] = std::string_view(b + s.begin, s.end - s.begin);
    } else if (s.kind == QuotedClean) {
      views_[i] = std::string_view(b + s.begin + 1, s.end - s.begin - 2);
    } else {
      complex = true;
    }
  }
  if (complex) decode_complex(b, nf);
  const size_t line = rec_line_;
  const bool any_quoted = any_quoted_;
  nspans_ = 0;
  any_quoted_ = false;
  rec_start_ = next;
  rec_line_ = line_;
  record_lasts_ = in_place_ && !complex;
  h_.record(views_.data(), nf, line, any_quoted);
}

// Fields with "" inside or text after the closing quote: decoded into scratch_.
void Parser::decode_complex(const char* b, size_t nf) {
  scratch_.clear();
  scratch_off_.assign(2 * nf, 0);  // (offset, length) in scratch_ per complex field
  for (size_t i = 0; i < nf; ++i) {
    const Span& s = spans_[i];
    if (s.kind != Complex) continue;
    const size_t start = scratch_.size();
    // "..." with "" for a quote, then maybe text after the closing quote
    const char* r = b + s.begin;
    const size_t len = s.end - s.begin;
    size_t k = 1;
    while (k < len) {
      if (r[k] == '"') {
        if (k + 1 < len && r[k + 1] == '"') {
          scratch_.push_back('"');
          k += 2;
          continue;
        }
        ++k;
        break;
      }
      scratch_.push_back(r[k++]);
    }
    bool junk = false;
    for (size_t j = k; j < len; ++j)
      if (r[j] != ' ' && r[j] != '\t') junk = true;
    if (junk) {
      scratch_.append(r + k, len - k);
      h_.problem(rec_line_, i + 1,
                 "text after the closing quote of a quoted field; read as " +
                     detail::quote_value(std::string_view(scratch_).substr(start)));
    }
    scratch_off_[2 * i] = start;
    scratch_off_[2 * i + 1] = scratch_.size() - start;
  }
  for (size_t i = 0; i < nf; ++i)
    if (spans_[i].kind == Complex)
      views_[i] = std::string_view(scratch_.data() + scratch_off_[2 * i], scratch_off_[2 * i + 1]);
}

void Parser::unterminated(const char* base) {
  size_t col;
  if (quote_line_start_abs_ >= buf_abs_)
    col = detail::char_column(base + (quote_line_start_abs_ - buf_abs_),
                              static_cast<size_t>(quote_abs_ - quote_line_start_abs_));
  else
    col = static_cast<size_t>(quote_abs_ - quote_line_start_abs_) + 1;
  throw LoadError("unterminated quoted field: the quote opened at line " + std::to_string(quote_line_) + ", column " +
                      std::to_string(col) + " is never closed",
                  quote_line_, col);
}

}  // namespace leadscore::csv
