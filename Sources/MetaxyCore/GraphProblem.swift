/// One thing wrong with a graph file, located so an editor can jump to it.
public struct GraphProblem: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let location: SourceLocation
    public let message: String

    public init(file: String, location: SourceLocation, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    /// `file:line:column: message`, the form compilers use.
    public var description: String {
        location.line > 0 ? "\(file):\(location.line):\(location.column): \(message)" : "\(file): \(message)"
    }
}

/// Every problem found in a graph, reported together rather than one at a time.
public struct GraphError: Error, Sendable, CustomStringConvertible {
    public let problems: [GraphProblem]

    public init(_ problems: [GraphProblem]) {
        self.problems = problems.sorted {
            ($0.file, $0.location.line, $0.location.column) < ($1.file, $1.location.line, $1.location.column)
        }
    }

    public var description: String {
        problems.map { "error: \($0)" }.joined(separator: "\n")
            + "\n\(counted(problems.count, "problem")) in the graph; fix \(problems.count == 1 ? "it" : "them") and run again."
    }
}
