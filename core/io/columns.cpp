// Raw columns -> typed Columns (see columns.h): the string dictionary's out-of-line half, column
// naming, and type inference and conversion per column.
#include "io/columns.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "io/dates.h"
#include "io/number_formats.h"
#include "io/text.h"
#include "io/values.h"
#include "leadscore/limits.h"

namespace leadscore::detail {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace

// ---------------------------------------------------------------- dictionary

uint64_t StringDict::hash_long(const char* p, size_t n) {
  // MurmurHash64A-style mixing, 8 bytes at a time.
  const uint64_t m = 0xc6a4a7935bd1e995ULL;
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (static_cast<uint64_t>(n) * m);
  while (n >= 8) {
    uint64_t k = load64(p);
    k *= m;
    k ^= k >> 47;
    k *= m;
    h ^= k;
    h *= m;
    p += 8;
    n -= 8;
  }
  if (n) {
    uint64_t k = 0;
    std::memcpy(&k, p, n);
    h ^= k;
    h *= m;
  }
  h ^= h >> 47;
  h *= m;
  h ^= h >> 47;
  return h;
}

int32_t StringDict::intern_long(std::string_view s) {
  const size_t n = s.size();
  const uint64_t h = n <= 16 ? mid_hash(load64(s.data()), load64(s.data() + n - 8), n) : hash_long(s.data(), n);
  return find_or_add(hash32(h), s);
}

void StringDict::too_many_texts() {
  throw LoadError("limit",
                  "a column holds more than 4 GiB (or 2^31) of distinct texts, the most one column can hold; "
                  "split the file into parts",
                  0, 0);
}

void StringDict::grow(size_t n) {
  std::vector<Slot> slots(n, Slot{0, 0});
  const size_t mask = n - 1;
  for (const Slot& s : slots_) {
    if (s.code == 0) continue;
    size_t i = s.hash & mask;
    while (slots[i].code != 0) i = (i + 1) & mask;
    slots[i] = s;
  }
  slots_.swap(slots);
}

void StringDict::reserve(size_t distinct, size_t bytes) {
  texts_.reserve(distinct, bytes);
  size_t n = slots_.size();
  while (n * 3 < distinct * 4 + 4) n *= 2;
  if (n > slots_.size()) grow(n);
}

void StringDict::defer_lookups(size_t distinct, size_t bytes) {
  if (!kLoadFastPaths) return reserve(distinct, bytes);
  texts_.reserve(distinct, bytes);
  hashes_.reserve(std::max(distinct, texts_.size()));
  hashes_.assign(texts_.size(), 0);
  for (const Slot& sl : slots_)
    if (sl.code != 0) hashes_[sl.code - 1] = sl.hash;
  std::vector<Slot>().swap(slots_);
  deferred_ = true;
  looked_ = texts_.size();
  // Past the expected bytes by half, the column is less unique than its first rows said.
  defer_budget_ = std::max(bytes + bytes / 2, texts_.text_bytes() + (size_t{1} << 20));
}

std::vector<int32_t> StringDict::settle(bool keep_reading) {
  if (!kLoadFastPaths || !deferred_) return {};
  std::vector<int32_t> code = repeats(texts_, hashes_);
  const size_t entries = code.size();
  std::vector<uint8_t> repeated(entries);
  size_t distinct = 0;
  for (size_t e = 0; e < entries; ++e) {
    const int32_t first = code[e];
    repeated[e] = first >= 0;
    code[e] = first < 0 ? static_cast<int32_t>(distinct++) : code[static_cast<size_t>(first)];
  }
  if (distinct != entries) {
    size_t out = 0;
    for (size_t e = 0; e < entries; ++e)
      if (!repeated[e]) hashes_[out++] = hashes_[e];
    hashes_.resize(out);
    texts_.erase_marked(repeated);
    forget_recent();  // it holds old codes
  }
  looked_ = texts_.size();
  if (keep_reading && (entries - distinct) * 8 <= entries) {
    defer_budget_ = texts_.text_bytes() + texts_.text_bytes() / 2 + (size_t{1} << 20);
  } else {
    deferred_ = false;
    if (keep_reading) index_from_hashes();
    std::vector<uint32_t>().swap(hashes_);
  }
  if (distinct == entries) return {};
  return code;
}

void StringDict::index_from_hashes() {
  size_t n = 16;
  while (n * 3 < texts_.size() * 4 + 4) n *= 2;
  slots_.assign(n, Slot{0, 0});
  const size_t mask = n - 1;
  for (size_t e = 0; e < hashes_.size(); ++e) {
    size_t i = hashes_[e] & mask;
    while (slots_[i].code != 0) i = (i + 1) & mask;
    slots_[i] = Slot{hashes_[e], static_cast<uint32_t>(e) + 1};
  }
}

bool StringDict::repeats_lately() {
  if (!kLoadFastPaths || !deferred_ || texts_.size() < looked_ + (size_t{1} << 16)) return false;
  const std::vector<int32_t> repeat = repeats(texts_, hashes_, looked_);
  const size_t n = repeat.size();
  looked_ = texts_.size();
  return static_cast<size_t>(std::count_if(repeat.begin(), repeat.end(), [](int32_t r) { return r >= 0; })) * 8 > n;
}

// (The entries are first grouped by the top bits of their hash, a counting sort of (hash, entry)
// pairs, so that each group's table fits in L1: wasm has no prefetch, and a probe of one table
// sized for ~1M entries is a cache miss per entry.)
std::vector<int32_t> StringDict::repeats(const TextDictionary& texts, const std::vector<uint32_t>& hashes,
                                         size_t begin) {
  const size_t entries = hashes.size() - begin;
  std::vector<int32_t> repeat(entries, -1);
  int bits = 0;
  while (bits < 16 && (entries >> bits) > 4096) ++bits;
  const size_t groups = size_t{1} << bits;
  const auto group_of = [bits](uint32_t h) { return bits ? h >> (32 - bits) : 0u; };
  std::vector<uint32_t> start(groups + 1, 0);
  for (size_t e = 0; e < entries; ++e) ++start[group_of(hashes[begin + e]) + 1];
  for (size_t g = 0; g < groups; ++g) start[g + 1] += start[g];
  struct Entry {
    uint32_t hash, index;
  };
  std::vector<Entry> grouped(entries);
  {
    std::vector<uint32_t> at(start.begin(), start.end() - 1);
    for (size_t e = begin; e < hashes.size(); ++e)
      grouped[at[group_of(hashes[e])]++] = Entry{hashes[e], static_cast<uint32_t>(e)};
  }
  std::vector<uint32_t> table;  // position in the group + 1; 0 = empty
  for (size_t g = 0; g < groups; ++g) {
    const Entry* group = grouped.data() + start[g];
    const size_t n = start[g + 1] - start[g];
    size_t size = 16;
    while (size < n * 2) size *= 2;
    table.assign(size, 0);
    const size_t mask = size - 1;
    for (size_t k = 0; k < n; ++k) {  // in entry order: the first of equal texts is met first
      const Entry& en = group[k];
      for (size_t i = en.hash & mask;; i = (i + 1) & mask) {
        const uint32_t t = table[i];
        if (t == 0) {
          table[i] = static_cast<uint32_t>(k) + 1;
          break;
        }
        const Entry& seen = group[t - 1];
        if (seen.hash == en.hash && same_text(texts[seen.index], texts[en.index])) {
          repeat[en.index - begin] = static_cast<int32_t>(seen.index);
          break;
        }
      }
    }
  }
  return repeat;
}

// ---------------------------------------------------------------- raw codes

void RawCodes::widen_for(int32_t c) {
  const size_t n = size();
  const size_t cap = width_ == 1 ? u8_.capacity() : u16_.capacity();  // keeps the loader's reservation
  if (width_ == 1 && encode(c, 0x7FFF, 0xFFFF) != kNoFit) {
    u16_.reserve(cap);
    for (size_t r = 0; r < n; ++r) u16_.push_back(static_cast<uint16_t>(encode((*this)[r], 0x7FFF, 0xFFFF)));
    std::vector<uint8_t>().swap(u8_);
    width_ = 2;
    return;
  }
  i32_.reserve(cap);
  for (size_t r = 0; r < n; ++r) i32_.push_back((*this)[r]);
  std::vector<uint8_t>().swap(u8_);
  std::vector<uint16_t>().swap(u16_);
  width_ = 4;
}

void RawCodes::widen_and_push(int32_t c) {
  widen_for(c);
  if (width_ == 2)
    u16_.push_back(static_cast<uint16_t>(encode(c, 0x7FFF, 0xFFFF)));
  else
    i32_.push_back(c);
}

void RawCodes::set(size_t r, int32_t c) {
  if (width_ == 1 && encode(c, 0x7F, 0xFF) != kNoFit) {
    u8_[r] = static_cast<uint8_t>(encode(c, 0x7F, 0xFF));
  } else if (width_ == 2 && encode(c, 0x7FFF, 0xFFFF) != kNoFit) {
    u16_[r] = static_cast<uint16_t>(encode(c, 0x7FFF, 0xFFFF));
  } else if (width_ == 4) {
    i32_[r] = c;
  } else {
    widen_for(c);
    set(r, c);
  }
}

void RawCodes::reserve(size_t n) {
  if (width_ == 1)
    u8_.reserve(n);
  else if (width_ == 2)
    u16_.reserve(n);
  else
    i32_.reserve(n);
}

void RawCodes::read(size_t r0, size_t n, int32_t* out) const {
  if (width_ == 1)
    for (size_t j = 0; j < n; ++j) out[j] = decode(u8_[r0 + j], 0x7F, 0xFF);
  else if (width_ == 2)
    for (size_t j = 0; j < n; ++j) out[j] = decode(u16_[r0 + j], 0x7FFF, 0xFFFF);
  else
    std::copy(i32_.begin() + static_cast<std::ptrdiff_t>(r0), i32_.begin() + static_cast<std::ptrdiff_t>(r0 + n), out);
}

void RawCodes::renumber(const std::vector<int32_t>& new_code) {
  if (width_ == 1) {
    for (uint8_t& c : u8_)
      if (c <= 0x7F) c = static_cast<uint8_t>(new_code[c]);
  } else if (width_ == 2) {
    for (uint16_t& c : u16_)
      if (c <= 0x7FFF) c = static_cast<uint16_t>(new_code[c]);
  } else {
    for (int32_t& c : i32_)
      if (c >= 0) c = new_code[static_cast<size_t>(c)];
  }
}

std::vector<int32_t> RawCodes::take_i32() {
  if (width_ != 4) {
    std::vector<int32_t> out(size());
    read(0, out.size(), out.data());
    *this = RawCodes{};
    return out;
  }
  std::vector<int32_t> out = std::move(i32_);
  *this = RawCodes{};
  return out;
}

// ---------------------------------------------------------------- naming

std::vector<ColumnNaming> name_columns(const std::vector<RawColumn>& raw, size_t header_line, const LoadOptions& o,
                                       ProblemSink& ps) {
  std::vector<std::vector<std::string>> spec_keys(o.fields.size());
  for (size_t j = 0; j < o.fields.size(); ++j) {
    spec_keys[j].push_back(normalize_header(o.fields[j].name));
    for (const auto& a : o.fields[j].aliases) spec_keys[j].push_back(normalize_header(a));
  }
  std::vector<int> taken(o.fields.size(), -1);
  std::unordered_set<std::string> used;
  std::vector<ColumnNaming> out(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string& header = raw[i].header;
    const size_t line = raw[i].first_line ? raw[i].first_line : header_line;
    std::string base = header;
    if (header.empty()) {
      base = "column_" + std::to_string(i + 1);
      ps.add(line, i + 1, base, "empty header; the column is named \"" + base + "\"");
    }
    const std::string norm = normalize_header(header);
    if (!norm.empty()) {
      int first_taken = -1;
      for (size_t j = 0; j < o.fields.size(); ++j) {
        if (std::find(spec_keys[j].begin(), spec_keys[j].end(), norm) == spec_keys[j].end()) continue;
        if (taken[j] < 0) {
          taken[j] = static_cast<int>(i);
          out[i].spec = static_cast<int>(j);
          base = o.fields[j].name;
          break;
        }
        if (first_taken < 0) first_taken = static_cast<int>(j);
      }
      if (out[i].spec < 0 && first_taken >= 0) {
        const size_t other = static_cast<size_t>(taken[static_cast<size_t>(first_taken)]);
        ps.add(line, i + 1, base,
               "header " + quote_value(header) + " also matches the field \"" +
                   o.fields[static_cast<size_t>(first_taken)].name + "\", already read from column " +
                   std::to_string(other + 1) + " (" + quote_value(raw[other].header) +
                   "); this column keeps its own name");
      }
    }
    // A dot in a JsonLogic var reads a nested value, so undeclared headers with dots
    // ("emp.var.rate") are named with underscores ("emp_var_rate"); the header stays as written.
    if (out[i].spec < 0) std::replace(base.begin(), base.end(), '.', '_');
    std::string name = base;
    if (used.count(name)) {
      for (size_t k = 2;; ++k) {
        name = base + "_" + std::to_string(k);
        if (!used.count(name)) break;
      }
      ps.add(line, i + 1, name, "duplicate header " + quote_value(base) + "; this column is named \"" + name + "\"");
    }
    used.insert(name);
    out[i].name = std::move(name);
  }
  return out;
}

// ---------------------------------------------------------------- typing

namespace {

struct Conversion {
  std::vector<double> val;   // per dictionary entry; NaN for missing/bad
  std::vector<uint8_t> bad;  // per entry: not parseable under the type
  size_t nbad = 0;
  bool has_time = false;
  bool plain = false;          // every value was read by parse_number from its entry's text
  bool ambiguous_mdy = false;  // slash dates read as M/D/Y only because of the default
  std::string note;            // how the column was read when that is not obvious (a formatted number, an id)
};

bool convert_numbers(const RawColumn& rc, const std::vector<uint8_t>& miss, Conversion& cv, bool stop);

std::vector<std::string_view> present_texts(const RawColumn& rc, const std::vector<uint8_t>& miss) {
  std::vector<std::string_view> texts;
  for (size_t e = 0; e < miss.size(); ++e)
    if (!miss[e]) texts.push_back(rc.dict.get(e));
  return texts;
}

// The decimal separator an ambiguous "1,234" is read with: a comma where CSV files are written
// with semicolons (the locales whose decimal separator is the comma), else a point.
char default_decimal(const Table& t) { return t.delimiter == ';' ? ',' : '.'; }

// The present entries as numbers in one format ("$1,200.50", "12,5", "45 %"); false when some
// entry fits none. `stop` false: entries that do not fit are marked bad (a declared number).
bool convert_formatted(const RawColumn& rc, const std::vector<uint8_t>& miss, const LoadOptions& o, const Table& t,
                       const std::string& name, Conversion& cv, bool stop) {
  const std::vector<std::string_view> texts = present_texts(rc, miss);
  NumberFormat format;
  std::vector<double> values;
  if (!read_formatted_numbers(texts, o.decimal, default_decimal(t), format, values)) {
    if (stop) return false;
    return convert_numbers(rc, miss, cv, false);
  }
  for (size_t e = 0, k = 0; e < miss.size(); ++e)
    if (!miss[e]) cv.val[e] = values[k++];
  cv.note = "\"" + name + "\" read as numbers written like " + quote_value(format.example) + ": " + describe(format);
  if (format.ambiguous)
    cv.note += std::string("; values like \"1,234\" could also be read with a decimal ") +
               (format.decimal == ',' ? "point" : "comma") + " (set the decimal separator to choose)";
  return true;
}

// Whether number-like values are an identifier that must stay text (zip codes, phones, long ids).
bool keep_as_identifier(const RawColumn& rc, const std::vector<uint8_t>& miss, const std::string& name,
                        Conversion& cv) {
  std::string example;
  const std::string why = identifier_reason(rc.header, present_texts(rc, miss), example);
  if (why.empty()) return false;
  cv.note = "\"" + name + "\" kept as text: " + why +
            ", so it reads as an identifier, not a quantity (declare its type \"number\" to read numbers)";
  return true;
}

// Converts the non-missing entries; with `stop` returns false at the first bad entry.
bool convert_numbers(const RawColumn& rc, const std::vector<uint8_t>& miss, Conversion& cv, bool stop) {
  for (size_t e = 0; e < miss.size(); ++e) {
    if (miss[e]) continue;
    if (!parse_number(rc.dict.get(e), cv.val[e])) {
      if (stop) return false;
      cv.val[e] = kNaN;
      cv.bad[e] = 1;
      ++cv.nbad;
    }
  }
  return true;
}

bool convert_bools(const RawColumn& rc, const std::vector<uint8_t>& miss, Conversion& cv, bool stop) {
  for (size_t e = 0; e < miss.size(); ++e) {
    if (miss[e]) continue;
    const int b = parse_bool(rc.dict.get(e), true);
    if (b < 0) {
      if (stop) return false;
      cv.bad[e] = 1;
      ++cv.nbad;
    } else {
      cv.val[e] = b;
    }
  }
  return true;
}

bool convert_dates(const RawColumn& rc, const std::vector<uint8_t>& miss, Conversion& cv, bool hinted,
                   LoadOptions::DateOrder order) {
  const size_t E = miss.size();
  // Allocated at the first entry that reads: most columns tried here are not dates and fail at
  // their first entry (a column of 1M phone numbers allocated 44 MB of parts for nothing).
  std::vector<DateParts> parts;
  std::vector<uint8_t> kind;  // 1 = date text, 2 = Excel serial (hinted only)
  const auto read_one = [&](size_t e, uint8_t k) {
    if (kind.empty()) parts.resize(E), kind.assign(E, 0);
    kind[e] = k;
  };
  bool first_big = false, second_big = false, ambiguous = false;
  DateParts date;
  for (size_t e = 0; e < E; ++e) {
    if (miss[e]) continue;
    const std::string_view text = rc.dict.get(e);
    if (parse_date(text, date)) {
      read_one(e, 1);
      const DateParts& p = parts[e] = date;
      if (p.form == DateParts::Ambiguous) {
        if (p.a > 12) first_big = true;
        if (p.b > 12) second_big = true;
        if (p.a <= 12 && p.b <= 12 && p.a != p.b) ambiguous = true;
      }
      continue;
    }
    double serial;
    bool time = false;
    if (hinted && parse_number(text, serial) && excel_serial_to_ms(serial, cv.val[e], time)) {
      read_one(e, 2);
      if (time) cv.has_time = true;
      continue;
    }
    if (!hinted) return false;
    cv.bad[e] = 1;
    ++cv.nbad;
  }
  bool dmy;
  if (first_big && second_big) {
    if (!hinted) return false;  // written both ways: not one date column
    dmy = order == LoadOptions::DateOrder::DMY;
  } else if (first_big) {
    dmy = true;
  } else if (second_big) {
    dmy = false;
  } else {
    dmy = order == LoadOptions::DateOrder::DMY;
    cv.ambiguous_mdy = ambiguous && order == LoadOptions::DateOrder::Auto;
  }
  for (size_t e = 0; e < kind.size(); ++e) {
    if (kind[e] != 1) continue;
    if (!date_parts_to_ms(parts[e], dmy, cv.val[e])) {
      if (!hinted) return false;
      cv.val[e] = kNaN;
      cv.bad[e] = 1;
      ++cv.nbad;
    } else if (parts[e].has_time) {
      cv.has_time = true;
    }
  }
  return true;
}

bool is_missing_text(std::string_view v, const std::vector<std::string>& global,
                     const std::vector<std::string>& field) {
  v = trim(v);
  for (const auto& tok : global)
    if (iequals(v, tok)) return true;
  for (const auto& tok : field)
    if (iequals(v, tok)) return true;
  return false;
}

// Integer-coded cells (see int_code) as the column's type sees them.
struct IntCells {
  bool any = false;              // any integer cell that is not a missing token
  bool only01 = true;            // all such cells are 0 or 1
  std::vector<int64_t> missing;  // integer values that are missing tokens
  bool is_missing(int64_t v) const {
    for (int64_t m : missing)
      if (m == v) return true;
    return false;
  }
};

// Which dictionary entries are missing tokens, and what the integer-coded cells hold.
struct CellCensus {
  std::vector<uint8_t> miss;  // per dictionary entry
  IntCells ints;
  size_t present = 0;  // entries that are not missing, plus one for any integer cell
};

CellCensus take_census(const RawColumn& rc, const std::vector<std::string>& global,
                       const std::vector<std::string>& field_tokens) {
  const size_t E = rc.dict.size();
  CellCensus cc;
  cc.miss.assign(E, 0);
  // A text is a token only if it is as long as one once trimmed: most entries of a column of ids
  // or e-mails are ruled out by their length and their ends, without trimming or comparing.
  size_t longest = 0;
  for (const std::vector<std::string>* list : {&global, &field_tokens})
    for (const auto& tok : *list) longest = std::max(longest, tok.size());
  for (size_t e = 0; e < E; ++e) {
    const std::string_view v = rc.dict.get(e);
    const bool may_be_token = !kLoadFastPaths || v.size() <= longest || is_ascii_space(v.front()) ||
                              is_ascii_space(v.back()) ||
                              static_cast<unsigned char>(v.front()) == 0xC2 ||  // U+00A0, trimmed too
                              static_cast<unsigned char>(v.back()) == 0xA0;
    cc.miss[e] = may_be_token && is_missing_text(v, global, field_tokens);
    if (!cc.miss[e]) ++cc.present;
  }
  IntCells& ints = cc.ints;
  for (const std::vector<std::string>* list : {&global, &field_tokens})
    for (const auto& tok : *list) {
      int32_t c;
      if (int_code(tok.data(), tok.size(), c)) ints.missing.push_back(int_of_code(c));
    }
  constexpr size_t kBlock = 4096;
  int32_t codes[kBlock];
  for (size_t r0 = 0; r0 < rc.codes.size(); r0 += kBlock) {
    const size_t len = std::min(kBlock, rc.codes.size() - r0);
    rc.codes.read(r0, len, codes);
    for (size_t j = 0; j < len; ++j) {
      const int32_t c = codes[j];
      if (!is_int_code(c)) continue;
      const int64_t v = int_of_code(c);
      if (!ints.missing.empty() && ints.is_missing(v)) continue;
      ints.any = true;
      if (v != 0 && v != 1) ints.only01 = false;
    }
  }
  if (ints.any) ++cc.present;
  return cc;
}

// The declared type, or the first of number, boolean, date that every present value reads as
// (else string); `cv` holds the entries converted under the chosen type.
ColumnType choose_type(const RawColumn& rc, const CellCensus& cc, const FieldSpec* spec, const LoadOptions& o,
                       const Table& t, const std::string& name, Conversion& cv) {
  const size_t E = rc.dict.size();
  const std::vector<uint8_t>& miss = cc.miss;
  cv.val.assign(E, kNaN);
  cv.bad.assign(E, 0);
  if (spec && spec->type.has_value()) {
    const ColumnType type = *spec->type;
    if (type == ColumnType::Number && !(cv.plain = convert_numbers(rc, miss, cv, true))) {
      cv.val.assign(E, kNaN);
      convert_formatted(rc, miss, o, t, name, cv, false);
    } else if (type == ColumnType::Boolean)
      convert_bools(rc, miss, cv, false);
    else if (type == ColumnType::Date)
      convert_dates(rc, miss, cv, true, o.date_order);
    return type;
  }
  if (!o.infer_types || cc.present == 0) return ColumnType::String;
  if ((cv.plain = convert_numbers(rc, miss, cv, true)))  // integers are numbers too
    return keep_as_identifier(rc, miss, name, cv) ? ColumnType::String : ColumnType::Number;
  cv.val.assign(E, kNaN);
  if (convert_formatted(rc, miss, o, t, name, cv, true))
    return keep_as_identifier(rc, miss, name, cv) ? ColumnType::String : ColumnType::Number;
  cv.val.assign(E, kNaN);
  if (cc.ints.only01 && convert_bools(rc, miss, cv, true)) return ColumnType::Boolean;
  if (cc.ints.any) return ColumnType::String;  // an integer is never date text
  cv.val.assign(E, kNaN);
  cv.has_time = false;
  if (convert_dates(rc, miss, cv, false, o.date_order)) return ColumnType::Date;
  return ColumnType::String;
}

// A dictionary grown by doubling, or reserved from the first rows' estimate, can hold well over
// its texts: the table keeps it for its lifetime.
void shrink_if_loose(TextDictionary& d) {
  if (d.heap_bytes() > (d.text_bytes() + d.size() * sizeof(uint32_t)) * 9 / 8) d.shrink_to_fit();
}

// A text column: the dictionary without the missing tokens, or, when integer cells skipped the
// dictionary, a new one in first-seen order with the integers as text again.
void fill_text_column(RawColumn& rc, const CellCensus& cc, size_t rows, Column& col) {
  const size_t E = rc.dict.size();
  const std::vector<uint8_t>& miss = cc.miss;
  if (!cc.ints.any) {
    // The raw texts become the column's dictionary in place: no second copy of them.
    std::vector<int32_t> remap(E, -1);
    int32_t next = 0;
    for (size_t e = 0; e < E; ++e)
      if (!miss[e]) remap[e] = next++;
    col.dict = rc.dict.take_texts();
    if (static_cast<size_t>(next) != E) col.dict.erase_marked(miss);
    shrink_if_loose(col.dict);
    col.codes = rc.codes.take_i32();
    for (auto& c : col.codes) {
      if (c >= 0)
        c = remap[static_cast<size_t>(c)];
      else if (c != -1)
        c = -1;  // (integer codes are all missing tokens here)
    }
    return;
  }
  StringDict d;
  d.reserve(cc.present);
  col.codes.resize(rows);
  for (size_t r = 0; r < rows; ++r) {
    const int32_t c = rc.codes[r];
    if (c >= 0) {
      col.codes[r] = miss[static_cast<size_t>(c)] ? -1 : d.intern(rc.dict.get(static_cast<size_t>(c)));
    } else if (c == -1) {
      col.codes[r] = -1;
    } else {
      const int64_t v = int_of_code(c);
      if (cc.ints.is_missing(v)) {
        col.codes[r] = -1;
      } else {
        char buf[24];
        const int len = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
        col.codes[r] = d.intern(std::string_view(buf, static_cast<size_t>(len)));
      }
    }
  }
  col.dict = d.take_texts();
  shrink_if_loose(col.dict);
}

// One problem per cell that does not read as the column's type: dictionary entries marked bad
// by the conversion, and the integer cells in `bad_rows` (ascending).
void report_bad_cells(const RawColumn& rc, const Conversion& cv, const std::vector<size_t>& bad_rows, size_t idx,
                      const Column& col, const Table& t, ProblemSink& ps) {
  const ColumnType type = col.type;
  const char* what = type == ColumnType::Number    ? "a number"
                     : type == ColumnType::Boolean ? "a boolean (yes/no, true/false, y/n, 1/0)"
                                                   : "a date";
  size_t next_int_bad = 0;
  for (size_t r = 0; r < t.rows; ++r) {
    const int32_t c = rc.codes[r];
    std::string text;
    if (c >= 0 && cv.bad[static_cast<size_t>(c)]) {
      text = std::string(rc.dict.get(static_cast<size_t>(c)));
    } else if (next_int_bad < bad_rows.size() && bad_rows[next_int_bad] == r) {
      ++next_int_bad;
      text = std::to_string(int_of_code(c));
    } else {
      continue;
    }
    ps.add(
        r < t.row_line.size() ? t.row_line[r] : 0, idx + 1, col.name,
        std::string("expected ") + what + " in \"" + col.name + "\", got " + quote_value(text) + "; kept as missing");
  }
}

// A number, boolean or date column: each row's value from its dictionary entry or integer code.
// Values are made a block at a time in L1 and stored as narrow as they allow (Values::Builder).
void fill_value_column(const RawColumn& rc, const CellCensus& cc, Conversion& cv, size_t idx, const Table& t,
                       ProblemSink& ps, Column& col) {
  const ColumnType type = col.type;
  const size_t rows = t.rows;
  for (size_t e = 0; e < cc.miss.size(); ++e)
    if (cc.miss[e] || cv.bad[e]) cv.val[e] = kNaN;
  const double* val = cv.val.data();
  const IntCells& ints = cc.ints;
  const bool check_missing = !ints.missing.empty();
  // A raw code's value; false for an integer cell that does not fit the (hinted) type.
  const auto value_of = [&](int32_t c, double& out) {
    if (c >= 0) {
      out = val[c];
      return true;
    }
    out = kNaN;
    if (c == -1) return true;
    const int64_t v = int_of_code(c);
    if (check_missing && ints.is_missing(v)) return true;
    if (type == ColumnType::Number) {
      out = static_cast<double>(v);
      return true;
    }
    if (type == ColumnType::Boolean) {
      if (v != 0 && v != 1) return false;
      out = static_cast<double>(v);
      return true;
    }
    bool time = false;  // Date: an Excel serial (dates are only typed from integers under a hint)
    if (excel_serial_to_ms(static_cast<double>(v), out, time)) return true;
    out = kNaN;
    return false;
  };
  Values::Builder nums(rows);
  constexpr size_t kRowsPerBlock = 4096;
  double block[kRowsPerBlock];
  std::vector<size_t> bad_rows;  // integer cells that do not fit the (hinted) type
  // Codes stored in one byte (flags, counts, short categories) have at most 256 values: looked up
  // in a table of them, where each cell was decoded and converted on its own.
  // A block holding a byte whose cell does not fit the type goes the long way, which reports it.
  const bool bytes = kLoadFastPaths && rc.codes.width() == 1;
  double by_byte[256];
  uint8_t unfit[256] = {};
  for (uint32_t b = 0; bytes && b < 256; ++b) {
    const int32_t c = RawCodes::decode_byte(static_cast<uint8_t>(b));
    if (c >= 0 && static_cast<size_t>(c) >= cv.val.size())
      by_byte[b] = kNaN;  // (a code no cell has)
    else
      unfit[b] = !value_of(c, by_byte[b]);
  }
  int32_t codes[kRowsPerBlock];
  for (size_t r0 = 0; r0 < rows; r0 += kRowsPerBlock) {
    const size_t len = std::min(kRowsPerBlock, rows - r0);
    uint8_t any_unfit = 1;
    if (bytes) {
      const uint8_t* raw = rc.codes.bytes() + r0;
      any_unfit = 0;
      for (size_t j = 0; j < len; ++j) {
        block[j] = by_byte[raw[j]];
        any_unfit |= unfit[raw[j]];
      }
    }
    if (any_unfit) {
      rc.codes.read(r0, len, codes);
      for (size_t j = 0; j < len; ++j)
        if (!value_of(codes[j], block[j])) bad_rows.push_back(r0 + j);
    }
    nums.append(block, len);
  }
  col.num = nums.finish();
  col.date_has_time = type == ColumnType::Date && cv.has_time;
  if (cv.nbad || !bad_rows.empty()) report_bad_cells(rc, cv, bad_rows, idx, col, t, ps);
  if (type == ColumnType::Date && cv.ambiguous_mdy)
    ps.add(0, idx + 1, col.name,
           "dates like 03/04/2024 in \"" + col.name +
               "\" could be month/day or day/month; read as month/day/year (set date_order to choose)");
}

// The text value_text() gives for a typed value (NaN: "").
std::string canonical_text(ColumnType type, double v, bool has_time) {
  if (std::isnan(v)) return "";
  if (type == ColumnType::Boolean) return v != 0 ? "true" : "false";
  if (type == ColumnType::Date) return format_date(v, has_time);
  return format_number(v);
}

// Whether a plain decimal ("33843.48", "-7", "0.5") that reads as v prints as written: 1 yes, 0
// no, -1 not decided here. With at most 15 digits it is the shortest decimal that reads as v (two
// such decimals never read as the same double: DBL_DIG), so JavaScript prints its very digits
// unless it has a leading zero, a fractional trailing zero or a signed zero, or is below 1e-6 (an
// exponent). Formatting costs ~2 us per value in wasm (software long doubles): 1.5 s of a load
// with a column of 740K amounts with cents. `read_from_t`: v is parse_number(t) (else t is read
// again: a column of formatted numbers may have read "1.234" as 1234).
int plain_decimal_prints_as_written(std::string_view t, double v, bool read_from_t) {
  const size_t n = t.size();
  size_t i = n && t[0] == '-' ? 1 : 0;
  const size_t int_begin = i;
  while (i < n && is_ascii_digit(t[i])) ++i;
  const size_t int_digits = i - int_begin;
  size_t frac_digits = 0;
  const bool point = i < n && t[i] == '.';
  if (point)
    while (++i < n && is_ascii_digit(t[i])) ++frac_digits;
  double read = v;
  if (i != n || int_digits == 0 || int_digits + frac_digits > 15 || (!read_from_t && !parse_number(t, read)) ||
      read != v || std::signbit(read) != std::signbit(v))
    return -1;
  if ((int_digits > 1 && t[int_begin] == '0') || (point && (frac_digits == 0 || t[n - 1] == '0'))) return 0;
  if (v == 0) return std::signbit(v) ? 0 : 1;
  return std::fabs(v) < 1e-6 ? -1 : 1;
}

bool prints_as_written(ColumnType type, double v, bool has_time, bool read_from_text, std::string_view text) {
  if (kLoadFastPaths && type == ColumnType::Number) {
    const int plain = plain_decimal_prints_as_written(text, v, read_from_text);
    if (plain >= 0) return plain == 1;
  }
  return canonical_text(type, v, has_time) == text;
}

// Column::spelling for the cells whose typed value does not print as they were written.
void keep_spellings(const RawColumn& rc, const CellCensus& cc, const Conversion& cv, Column& col) {
  const size_t E = rc.dict.size();
  std::vector<int32_t> entry(E, -1);
  bool any = false;
  for (size_t e = 0; e < E; ++e) {
    const std::string_view text = rc.dict.get(e);
    const bool spelled = cc.miss[e] ? !text.empty()
                         : col.type == ColumnType::String
                             ? false
                             : cv.bad[e] || !prints_as_written(col.type, cv.val[e], cv.has_time, cv.plain, text);
    if (!spelled) continue;
    entry[e] = static_cast<int32_t>(col.spellings.size());
    col.spellings.emplace_back(text);
    any = true;
  }
  // Integer cells print as written unless they are missing tokens or do not fit the type.
  const bool ints_spelled = cc.ints.any || !cc.ints.missing.empty();
  if (!any && !(ints_spelled && col.type != ColumnType::Number)) return;
  const size_t rows = rc.codes.size();
  col.spelling.assign(rows, -1);
  std::unordered_map<int64_t, int32_t> int_spelling;
  for (size_t r = 0; r < rows; ++r) {
    const int32_t c = rc.codes[r];
    if (c >= 0) {
      col.spelling[r] = entry[static_cast<size_t>(c)];
    } else if (c != -1) {
      const int64_t v = int_of_code(c);
      const bool fits = col.type == ColumnType::Number || col.type == ColumnType::String ||
                        (col.type == ColumnType::Boolean && (v == 0 || v == 1));
      if (fits && !cc.ints.is_missing(v)) continue;
      const auto [it, added] = int_spelling.emplace(v, static_cast<int32_t>(col.spellings.size()));
      if (added) col.spellings.push_back(std::to_string(v));
      col.spelling[r] = it->second;
    }
  }
  if (std::all_of(col.spelling.begin(), col.spelling.end(), [](int32_t s) { return s < 0; })) {
    col.spelling.clear();
    col.spelling.shrink_to_fit();
  } else if (col.spellings.size() < 255) {
    col.spelling_u8.resize(rows);
    for (size_t r = 0; r < rows; ++r)
      col.spelling_u8[r] = col.spelling[r] < 0 ? 255 : static_cast<uint8_t>(col.spelling[r]);
    col.spelling.clear();
    col.spelling.shrink_to_fit();
  }
}

void build_one(RawColumn& rc, Column& col, const FieldSpec* spec, size_t idx, const std::vector<std::string>& global,
               const LoadOptions& o, Table& t, ProblemSink& ps) {
  rc.settle(false);
  rc.codes.resize(t.rows, -1);
  std::vector<std::string> field_tokens;
  if (spec)
    for (const auto& tok : spec->missing) field_tokens.emplace_back(trim(tok));
  const CellCensus cc = take_census(rc, global, field_tokens);
  Conversion cv;
  col.type = choose_type(rc, cc, spec, o, t, col.name, cv);
  if (!cv.note.empty()) ps.add(0, idx + 1, col.name, cv.note);
  keep_spellings(rc, cc, cv, col);
  if (col.type == ColumnType::String)
    fill_text_column(rc, cc, t.rows, col);
  else
    fill_value_column(rc, cc, cv, idx, t, ps, col);
  rc = RawColumn{};
}

}  // namespace

void build_columns(std::vector<RawColumn>& raw, const std::vector<ColumnNaming>& names, const LoadOptions& o, Table& t,
                   ProblemSink& ps) {
  for (RawColumn& rc : raw) rc.dict.release_index();  // every text is read: the peak is here
  std::vector<std::string> global;
  for (const auto& tok : o.missing) global.emplace_back(trim(tok));
  t.columns.reserve(t.columns.size() + raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    Column col;
    col.name = names[i].name;
    col.header = raw[i].header;
    const FieldSpec* spec = names[i].spec >= 0 ? &o.fields[static_cast<size_t>(names[i].spec)] : nullptr;
    build_one(raw[i], col, spec, i, global, o, t, ps);
    t.columns.push_back(std::move(col));
  }
}

}  // namespace leadscore::detail
