/// An id column's value: integers compare numerically, and before any string.
public enum IDValue: Hashable, Comparable, Sendable, CustomStringConvertible {
    case int(Int64)
    case string(String)

    public static func < (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case let (.int(x), .int(y)): x < y
        case let (.string(x), .string(y)): codePointLess(x, y)
        case (.int, .string): true
        case (.string, .int): false
        }
    }

    public var description: String {
        switch self {
        case let .int(i): String(i)
        case let .string(s): s
        }
    }
}

/// Tuples of ids in id-column order, compared column by column.
func idsLess(_ a: [IDValue], _ b: [IDValue]) -> Bool { a.lexicographicallyPrecedes(b) }
