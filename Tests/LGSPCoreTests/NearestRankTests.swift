import Testing

@testable import LGSPCore

/// Median and 95th percentile of delivery times: nearest rank, always one of the values.
@Suite("NearestRank")
struct NearestRankTests {
    @Test(
        "the rank is ⌈p × n / 100⌉, at least 1",
        arguments: [
            (50, 1, 1), (50, 2, 1), (50, 3, 2), (50, 4, 2), (50, 5, 3), (95, 1, 1), (95, 2, 2), (95, 19, 19), (95, 20, 19),
            (95, 21, 20), (95, 100, 95), (95, 101, 96), (0, 10, 1), (100, 10, 10),
        ])
    func rank(percent: Int, count: Int, expected: Int) {
        #expect(NearestRank.rank(percent: percent, count: count) == expected)
    }

    @Test("no values, no percentile")
    func empty() {
        #expect(NearestRank.percentile(50, ofSorted: []) == nil)
        #expect(NearestRank.rank(percent: 95, count: 0) == 0)
    }

    @Test("median of an even count is the lower middle value, never an average")
    func evenMedian() {
        #expect(NearestRank.percentile(50, ofSorted: [100, 300]) == 100)
        #expect(NearestRank.percentile(50, ofSorted: [10, 20, 30, 40]) == 20)
    }

    @Test("p95 of twenty values is the 19th: one slow outlier does not move it")
    func p95IgnoresOneOutlier() {
        let values = (1...19).map { Int64($0) * 100 } + [60_000]
        #expect(NearestRank.percentile(95, ofSorted: values) == 1900)
        #expect(NearestRank.percentile(50, ofSorted: values) == 1000)
        // With 21 values the outlier is the 20th rank's neighbour: p95 = 20th value.
        #expect(NearestRank.percentile(95, ofSorted: values + [70_000]) == 60_000)
    }
}
