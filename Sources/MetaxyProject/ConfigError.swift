/// A configuration metaxy-tui cannot use: when it went wrong (reading the settings, or choosing
/// the store from them), the file and line when known, and what to do.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Stage: String, Sendable { case load, store }
    public let stage: Stage
    public let file: String?
    public let line: Int?
    public let message: String

    public init(_ stage: Stage, file: String? = nil, line: Int? = nil, _ message: String) {
        self.stage = stage
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        guard let file else { return message }
        return "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
