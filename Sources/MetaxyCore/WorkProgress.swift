/// How far a long piece of work is (a million-row write, the stale sets of every feature), told
/// to whoever shows it, and whether it should stop. The work calls `step` every so many rows; the
/// caller decides how to show it (the CLI draws a bar on a terminal) and when to stop (Ctrl-C).
public final class WorkProgress: Sendable {
    public struct Report: Sendable {
        public let phase: String
        public let done: Int
        /// nil while the total is not known (reading the input).
        public let total: Int?
        public let unit: String
        /// What the current step is on (a feature), shown after the figures.
        public let item: String?
    }

    private let report: @Sendable (Report) -> Void
    private let shouldStop: @Sendable () -> Bool

    public init(report: @escaping @Sendable (Report) -> Void, shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.report = report
        self.shouldStop = shouldStop
    }

    /// Nothing shown, never stopped.
    public static let none = WorkProgress(report: { _ in })

    /// Tells how far the work is; throws when it was asked to stop, for the work to undo itself.
    public func step(_ phase: String, _ done: Int, of total: Int?, unit: String = "rows", item: String? = nil) throws(WorkStopped) {
        report(Report(phase: phase, done: done, total: total, unit: unit, item: item))
        if shouldStop() { throw WorkStopped() }
    }
}

/// The work was asked to stop (Ctrl-C) and undid what it had begun.
public struct WorkStopped: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
