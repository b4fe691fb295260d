/// A sample's identity. metaxy joins on `sample_uid` of any type; integers and strings are what
/// stores hold, and each keeps its type in output.
public enum SampleUID: Hashable, Sendable, Comparable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    /// Integers before strings, each in its natural order, so listings are deterministic.
    public static func < (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): x < y
        case let (.string(x), .string(y)): codePointLess(x, y)
        case (.int, .string): true
        case (.string, .int): false
        }
    }

    /// As typed on a command line or at a prompt: an integer as Python prints one is an integer,
    /// anything else (`007`, `+1`) a string.
    public init(argument text: String) {
        self = Int64(text).flatMap { String($0) == text ? SampleUID.int($0) : nil } ?? .string(text)
    }

    public var description: String {
        switch self {
        case let .int(i): String(i)
        case let .string(s): s
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case let .int(i): .int(Int(i))
        case let .string(s): .string(s)
        }
    }
}

extension Sequence where Element == SampleUID {
    /// Sorted, each once: integers sorted as integers, several times faster than comparing the enum.
    public func sortedUnique() -> [SampleUID] {
        var ints: [Int64] = [], strings: [String] = []
        for uid in self {
            switch uid {
            case let .int(n): ints.append(n)
            case let .string(s): strings.append(s)
            }
        }
        ints.sort()
        strings.sort(by: codePointLess)
        var out: [SampleUID] = []
        out.reserveCapacity(ints.count + strings.count)
        for (i, n) in ints.enumerated() where i == 0 || ints[i - 1] != n { out.append(.int(n)) }
        for (i, s) in strings.enumerated() where i == 0 || strings[i - 1] != s { out.append(.string(s)) }
        return out
    }
}
