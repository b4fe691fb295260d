extension RandomAccessCollection where Element: Comparable, Index == Int {
    /// The first position whose element is not below `value`, by binary search (sorted ascending).
    @inlinable
    public func sortedLowerBound(_ value: Element) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Whether the sorted collection holds `value`: a stale set's ids, a field's causes.
    @inlinable
    public func sortedContains(_ value: Element) -> Bool {
        let low = sortedLowerBound(value)
        return low < endIndex && self[low] == value
    }
}
