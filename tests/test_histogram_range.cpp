// histogram_range(): the totals counted over caller-given edges (the page's stable bins).
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "leadscore/scorer.h"

namespace test_histogram_range {  // own namespace: the unity build compiles several test files as one

using namespace leadscore;

// Totals 0, 10, 20, 30, 40 (points per 'n').
Scorer scored() {
  Scorer s(std::make_shared<Table>(load_table("n\n0\n1\n2\n3\n4\n")));
  s.set_rules(R"({"rules": [{"id": "r", "points": 10, "per": "n"}], "tiers": [{"name": "All"}]})");
  return s;
}

TEST(HistogramRange, CountsEachTotalInItsBin) {
  Scorer s = scored();
  // bins [0,10) [10,20) [20,30) [30,40) [40,50]
  EXPECT_EQ(histogram_range(s, 0, 50, 5), (std::vector<size_t>{1, 1, 1, 1, 1}));
  // bins [0,25) [25,50]
  EXPECT_EQ(histogram_range(s, 0, 50, 2), (std::vector<size_t>{3, 2}));
}

TEST(HistogramRange, TotalsOutsideTheEdgesGoToTheEndBins) {
  Scorer s = scored();
  // [15,20) [20,25): 0 and 10 below lo, 30 and 40 at or above hi
  EXPECT_EQ(histogram_range(s, 15, 25, 2), (std::vector<size_t>{2, 3}));
  EXPECT_EQ(histogram_range(s, -1000, -900, 3), (std::vector<size_t>{0, 0, 5}));
  EXPECT_EQ(histogram_range(s, 1000, 2000, 3), (std::vector<size_t>{5, 0, 0}));
}

TEST(HistogramRange, DegenerateEdgesAndBinCountsStillCountEveryLead) {
  Scorer s = scored();
  for (auto [lo, hi, bins] : {std::tuple{0.0, 0.0, (size_t)4}, {40.0, 0.0, 4}, {0.0, 40.0, 0}, {0.0, 40.0, 1}}) {
    auto h = histogram_range(s, lo, hi, bins);
    EXPECT_EQ(h.size(), std::max<size_t>(1, bins));
    EXPECT_EQ(std::accumulate(h.begin(), h.end(), (size_t)0), 5u) << lo << ".." << hi << " / " << bins;
  }
  // non-finite edges: width-1 bins from 0, 0 in the first bin, every other total in the last
  EXPECT_EQ(histogram_range(s, -INFINITY, INFINITY, 3), (std::vector<size_t>{1, 0, 4}));
  EXPECT_EQ(histogram_range(s, NAN, 10, 2), (std::vector<size_t>{1, 4}));
}

TEST(HistogramRange, MatchesSummarizeOverMinToMax) {
  Scorer s = scored();
  const Summary sm = summarize(s, 7);
  EXPECT_EQ(histogram_range(s, sm.min, sm.max, 7), sm.histogram);
}

// histogram_edges(): round edges (the page's bins), the same as the page computed before they
// moved into the core: widths 1, 2, 2.5, 5 x 10^k, the max inside the last bin.
TEST(HistogramEdges, RoundWidthsCoveringMinToMax) {
  const HistogramEdges a = histogram_edges(0, 100);  // raw width 3.33 -> 5: 0..105 in 21 bins
  EXPECT_EQ(a.width, 5);
  EXPECT_EQ(a.lo, 0);
  EXPECT_EQ(a.bins, 21u);
  EXPECT_EQ(a.hi, 105);
  const HistogramEdges b = histogram_edges(-37, 58);  // raw 3.17 -> 5; lo floors to -40
  EXPECT_EQ(b.width, 5);
  EXPECT_EQ(b.lo, -40);
  EXPECT_EQ(b.hi, b.lo + (double)b.bins * b.width);
  EXPECT_GT(b.hi, 58);
  EXPECT_LE(b.hi - b.width, 58);                     // no empty bin past the max
  const HistogramEdges c = histogram_edges(0, 7.5);  // raw 0.25 -> 0.25
  EXPECT_DOUBLE_EQ(c.width, 0.25);
  const HistogramEdges d = histogram_edges(3, 3);  // one value: one bin of width 1 around it
  EXPECT_EQ(d.bins, 1u);
  EXPECT_EQ(d.lo, 2.5);
  EXPECT_EQ(d.hi, 3.5);
}

TEST(HistogramEdges, PreviousEdgesStayWhileTheTotalsFit) {
  const HistogramEdges old = histogram_edges(0, 100);
  const HistogramEdges same = histogram_edges(10, 90, &old);  // inside, spans 80 of 105
  EXPECT_EQ(same.lo, old.lo);
  EXPECT_EQ(same.hi, old.hi);
  EXPECT_NE(histogram_edges(0, 120, &old).hi, old.hi);  // past the last edge: new edges
  EXPECT_NE(histogram_edges(40, 60, &old).hi, old.hi);  // spans less than a third: new edges
}

}  // namespace test_histogram_range
