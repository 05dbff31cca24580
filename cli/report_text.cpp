#include "report_text.h"

#include <cstdio>
#include <sstream>

namespace leadscore {

using nlohmann::json;

namespace {

std::string num(const json& v, const char* f = "%g") {
  if (!v.is_number()) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v.get<double>());
  return buf;
}

std::string pct(const json& v) {
  if (!v.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * v.get<double>());
  return buf;
}

std::string pad(std::string s, size_t w) {
  size_t len = 0;  // UTF-8 characters
  for (unsigned char c : s) len += (c & 0xC0) != 0x80;
  if (len < w) s += std::string(w - len, ' ');
  return s;
}

std::string rpad(const std::string& s, size_t w) { return s.size() < w ? std::string(w - s.size(), ' ') + s : s; }

std::string rate_line(const json& r) {
  return rpad(std::to_string(r["count"].get<size_t>()), 8) + rpad(std::to_string(r["known"].get<size_t>()), 8) +
         rpad(std::to_string(r["positives"].get<size_t>()), 8) + rpad(pct(r["rate"]), 8);
}

void warnings(std::ostream& o, const json& ws) {
  if (ws.empty()) return;
  o << "\nWarnings\n";
  for (const auto& w : ws) o << "  " << w["code"].get<std::string>() << ": " << w["message"].get<std::string>() << "\n";
}

std::string selection(const json& s) {
  std::ostringstream o;
  o << "threshold " << (s["threshold"].is_null() ? "-" : num(s["threshold"])) << ": " << s["selected"] << " leads, "
    << s["conversions"] << " conversions, precision " << pct(s["precision"]) << ", recall " << pct(s["recall"]);
  if (s.contains("reason")) o << " (" << s["reason"].get<std::string>() << ")";
  return o.str();
}

void matrix(std::ostream& o, const json& m) {
  size_t w = 6;
  for (const auto& s : m["from"]) w = std::max(w, s.get<std::string>().size() + 2);
  for (const auto& s : m["to"]) w = std::max(w, s.get<std::string>().size() + 2);
  o << "  " << pad("A \\ B", w);
  for (const auto& s : m["to"]) o << rpad(s.get<std::string>(), w);
  o << "\n";
  for (size_t i = 0; i < m["from"].size(); ++i) {
    o << "  " << pad(m["from"][i].get<std::string>(), w);
    for (const auto& c : m["counts"][i]) o << rpad(std::to_string(c.get<size_t>()), w);
    o << "\n";
  }
}

}  // namespace

std::string outcomes_text(const json& x) {
  std::ostringstream o;
  o << "Outcomes: " << x["positives"] << " converted, " << x["negatives"] << " not, " << x["unknown"] << " unknown";
  if (x["source"] == "column") {
    o << " (column '" << x["column"].get<std::string>() << "'; " << x["missing"] << " missing";
    for (const auto& u : x["unknownValues"]) o << ", '" << u["value"].get<std::string>() << "' x" << u["count"];
    o << ")\n";
  } else {
    o << " (" << x["dealsRows"] << " deals joined on '" << x["leadIdColumn"].get<std::string>() << "' = '"
      << x["dealsIdColumn"].get<std::string>() << "'; " << x["unmatched"] << " deals match no lead)\n";
  }
  return o.str();
}

std::string evaluation_text(const json& e) {
  std::ostringstream o;
  o << "Leads " << e["rows"] << ", known outcome " << e["known"] << " (" << e["positives"] << " converted), base rate "
    << pct(e["baseRate"]) << "\n";
  o << "AUC " << num(e["roc"]["auc"], "%.4f");
  if (e["roc"].contains("reason")) o << " (" << e["roc"]["reason"].get<std::string>() << ")";
  o << "\nSales-ready " << selection(e["salesReady"]) << "\n";
  if (e.contains("capacity")) o << "Capacity " << e["capacity"]["capacity"] << ": " << selection(e["capacity"]) << "\n";

  o << "\nBy tier                 leads   known    conv    rate\n";
  for (const auto& t : e["tiers"]) o << "  " << pad(t["tier"].get<std::string>(), 20) << rate_line(t) << "\n";
  if (!e["cells"].empty()) {
    o << "\nBy matrix cell          leads   known    conv    rate\n";
    for (const auto& c : e["cells"])
      if (c["count"].get<size_t>() > 0) o << "  " << pad(c["cell"].get<std::string>(), 20) << rate_line(c) << "\n";
  }
  if (!e["deciles"].empty()) {
    o << "\nBy score decile (known outcomes)  scores     leads    conv    rate    lift\n";
    for (const auto& d : e["deciles"])
      o << "  " << rpad(std::to_string(d["decile"].get<int>()), 2) << "   "
        << pad(num(d["maxScore"]) + ".." + num(d["minScore"]), 27) << rpad(std::to_string(d["count"].get<size_t>()), 8)
        << rpad(std::to_string(d["positives"].get<size_t>()), 8) << rpad(pct(d["rate"]), 8)
        << rpad(num(d["lift"], "%.2f"), 8) << "\n";
  }
  o << "\nRules                        fired   rate fired  rate not    lift  flags\n";
  for (const auto& r : e["rules"]) {
    std::string flags;
    for (const auto& f : r["flags"]) flags += (flags.empty() ? "" : ",") + f.get<std::string>();
    o << "  " << pad(r["id"].get<std::string>(), 24) << rpad(std::to_string(r["fired"].get<size_t>()), 8)
      << rpad(pct(r["whenFired"]["rate"]), 12) << rpad(pct(r["whenNotFired"]["rate"]), 10)
      << rpad(num(r["lift"], "%.2f"), 8) << "  " << flags << "\n";
  }
  if (!e["columns"].empty()) {
    o << "\nColumns alone (AUC)\n";
    size_t shown = 0;
    for (const auto& c : e["columns"]) {
      if (shown++ == 8) break;
      o << "  " << pad(c["column"].get<std::string>(), 24) << num(c["auc"], "%.3f") << "  "
        << c["how"].get<std::string>() << (c["leak"].get<bool>() ? "  LEAK?" : "") << "\n";
    }
  }
  warnings(o, e["warnings"]);
  return o.str();
}

std::string comparison_text(const json& c) {
  std::ostringstream o;
  auto name = [](const json& v, const char* d) {
    return v["name"].get<std::string>().empty() ? std::string(d) : v["name"].get<std::string>();
  };
  o << "A: " << name(c["a"], "rule set A") << " (" << c["a"]["rules"] << " rules)   B: " << name(c["b"], "rule set B")
    << " (" << c["b"]["rules"] << " rules)\n";
  o << c["rows"] << " leads, " << c["changed"] << " with a different score\n";
  o << "Sales-ready: A " << c["a"]["salesReady"] << ", B " << c["b"]["salesReady"] << "; up " << c["salesReady"]["up"]
    << ", down " << c["salesReady"]["down"] << "\n";
  if (c.contains("evaluation"))
    o << "AUC: A " << num(c["evaluation"]["a"]["roc"]["auc"], "%.4f") << ", B "
      << num(c["evaluation"]["b"]["roc"]["auc"], "%.4f") << "; sales-ready precision A "
      << pct(c["evaluation"]["a"]["salesReady"]["precision"]) << ", B "
      << pct(c["evaluation"]["b"]["salesReady"]["precision"]) << ", recall A "
      << pct(c["evaluation"]["a"]["salesReady"]["recall"]) << ", B "
      << pct(c["evaluation"]["b"]["salesReady"]["recall"]) << "\n";
  o << "\nTier migration (rows: A, columns: B)\n";
  matrix(o, c["tiers"]);
  if (!c["cells"].is_null()) {
    o << "\nCell migration (rows: A, columns: B), non-empty rows\n";
    json m = c["cells"];
    json keep_from = json::array(), keep_counts = json::array();
    for (size_t i = 0; i < m["from"].size(); ++i) {
      size_t sum = 0;
      for (const auto& x : m["counts"][i]) sum += x.get<size_t>();
      if (sum) keep_from.push_back(m["from"][i]), keep_counts.push_back(m["counts"][i]);
    }
    m["from"] = keep_from, m["counts"] = keep_counts;
    matrix(o, m);
  }
  if (c.contains("capacity")) {
    o << "\nCapacity " << c["capacity"]["capacity"] << " leads\n";
    o << "  A: " << selection(c["capacity"]["a"]) << "\n  B: " << selection(c["capacity"]["b"]) << "\n";
  }
  if (!c["movers"].empty()) {
    o << "\nTop movers\n";
    for (const auto& m : c["movers"]) {
      o << "  lead " << m["lead"].get<size_t>() + 1 << " (line " << m["line"] << "): " << num(m["a"]) << " -> "
        << num(m["b"]) << " (" << (m["delta"].get<double>() > 0 ? "+" : "") << num(m["delta"]) << "), "
        << m["tierA"].get<std::string>() << " -> " << m["tierB"].get<std::string>() << "\n";
      for (const auto& r : m["rules"])
        o << "      " << (r["delta"].get<double>() > 0 ? "+" : "") << num(r["delta"]) << "  "
          << r["id"].get<std::string>() << " (" << num(r["a"]) << " -> " << num(r["b"])
          << (r["inA"].get<bool>() ? "" : ", new in B") << (r["inB"].get<bool>() ? "" : ", not in B") << ")\n";
    }
  }
  if (c.contains("evaluation")) {
    o << "\n== A\n" << evaluation_text(c["evaluation"]["a"]);
    o << "\n== B\n" << evaluation_text(c["evaluation"]["b"]);
  }
  return o.str();
}

}  // namespace leadscore
