/// Percentiles by the nearest-rank method, on whole numbers: the p-th percentile of `n` values in
/// ascending order is the value at 1-based rank `⌈p × n / 100⌉` (at least 1).
///
/// It is always one of the values (never an interpolation), so a median of 2 values is the smaller
/// one and the 95th percentile of 20 values is the 19th. The rank is computed in integers, so that
/// `p × n / 100` landing exactly on a whole number never rounds up by floating-point error.
public enum NearestRank {
    /// The 1-based rank of the `percent`-th percentile among `count` values (0 when `count` is 0).
    public static func rank(percent: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let clamped = min(max(percent, 0), 100)
        return max(1, (clamped * count + 99) / 100)
    }

    /// The `percent`-th percentile (0–100) of `sorted`, which must be in ascending order; nil if empty.
    public static func percentile(_ percent: Int, ofSorted sorted: [Int64]) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        return sorted[rank(percent: percent, count: sorted.count) - 1]
    }
}
