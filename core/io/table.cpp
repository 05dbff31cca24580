// The lead table's types: column types and names, the narrow value storage (Values), and the
// Column/Table accessors. Loading lives in loader.cpp, above every reader.
#include "leadscore/table.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "io/columns.h"
#include "io/dates.h"
#include "io/values.h"

namespace leadscore {

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
  double top = max_abs_;
  size_t i = 0;
  // Counts, scores and flags: one pass while every value fits a byte (of those, only 0 is a
  // whole number of days).
  if (detail::kLoadFastPaths && u8)
    for (; i < n; ++i) {
      const double x = v[i];
      if (x != x) continue;
      if (!(x >= 0 && x <= 254) || static_cast<double>(static_cast<int32_t>(x)) != x || std::signbit(x)) break;
      days = days && x == 0;
      top = std::max(top, x);
    }
  for (size_t k = i; k < n && (i32 || days); ++k) {
    const double x = v[k];
    if (x != x) continue;
    const bool ix = int32_exact(x);
    u8 = u8 && ix && x >= 0 && x <= 254;
    i32 = i32 && ix;
    int32_t d;
    days = days && whole_days(x, &d);
  }
  u8_ = u8, i32_ = i32, days_ = days;
  for (; i < n; ++i) top = v[i] == v[i] ? std::max(top, std::fabs(v[i])) : top;
  max_abs_ = top;
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

void Values::decode(size_t i0, size_t n, double* out, double missing) const {
  switch (kind_) {
    case Kind::U8: {
      const uint8_t* p = u8_.data() + i0;
      for (size_t i = 0; i < n; ++i) out[i] = p[i] == kMissingU8 ? missing : (double)p[i];
      return;
    }
    case Kind::I32: {
      const int32_t* p = i32_.data() + i0;
      const double s = scale_;
      for (size_t i = 0; i < n; ++i) out[i] = p[i] == kMissingI32 ? missing : (double)p[i] * s;
      return;
    }
    default: {
      const double* p = f64_.data() + i0;
      if (missing != missing) {  // (NaN is how F64 stores missing: a copy)
        std::copy(p, p + n, out);
        return;
      }
      for (size_t i = 0; i < n; ++i) out[i] = p[i] == p[i] ? p[i] : missing;
    }
  }
}

bool Values::integers(double* max_abs) const {
  *max_abs = 0;
  switch (kind_) {
    case Kind::U8:
      *max_abs = this->max_abs();
      return true;
    case Kind::I32:
      *max_abs = this->max_abs();  // scale is 1 or a whole number of ms: integers still
      return *max_abs < 9007199254740992.0;
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

void TextDictionary::erase_marked(const std::vector<uint8_t>& drop) {
  size_t out_bytes = 0, out = 0, begin = 0;
  for (size_t i = 0; i < ends_.size(); ++i) {
    const size_t end = ends_[i];
    if (!drop[i]) {
      if (out_bytes != begin) std::memmove(&bytes_[out_bytes], bytes_.data() + begin, end - begin);
      out_bytes += end - begin;
      ends_[out++] = static_cast<uint32_t>(out_bytes);
    }
    begin = end;
  }
  bytes_.resize(out_bytes);
  ends_.resize(out);
}

bool Column::is_missing(size_t row) const {
  if (type == ColumnType::String) return row >= codes.size() || codes[row] < 0;
  return row >= num.size() || num.is_missing(row);
}

nlohmann::json Column::value_json(size_t row) const {
  if (is_missing(row)) return nullptr;
  switch (type) {
    case ColumnType::String:
      return std::string(dict[static_cast<size_t>(codes[row])]);
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
      return std::string(dict[static_cast<size_t>(codes[row])]);
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

}  // namespace leadscore
