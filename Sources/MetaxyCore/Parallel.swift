import Foundation
import Dispatch

/// Runs independent pieces of work on all cores and collects the results in order.
public enum Parallel {
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public static func map<T: Sendable>(_ range: Range<Int>, _ body: @Sendable (Int) -> T) -> [T] {
        let results = Results<T>(count: range.count)
        DispatchQueue.concurrentPerform(iterations: range.count) { i in
            results.slots[i] = body(range.lowerBound + i)
        }
        return results.slots.map { $0! }
    }

    /// Each slot is written by exactly one iteration, through the pointer (no exclusivity check
    /// on a shared property), and read only after all iterations have finished.
    private final class Results<T>: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<T?>
        init(count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: nil) }
        deinit { slots.deinitialize().deallocate() }
    }
}
