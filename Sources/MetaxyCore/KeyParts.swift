import Foundation

/// What FeatureKey and FieldKey share: an ordered list of string parts (reference §1.1), stored
/// as the parts joined by `/`. Parts cannot contain `/`, so the string determines the parts, and
/// one string costs far less than a list of them in graphs with hundreds of thousands of keys.
public protocol KeyParts: Hashable, Sendable, CustomStringConvertible {
    /// The parts joined by `/`.
    var string: String { get }
    /// Wraps a `/`-joined string whose parts are already known to be valid.
    init(joined: String)
    /// The name metaxy uses in its error messages: `FeatureKey` or `FieldKey`.
    static var kindName: String { get }
}

extension KeyParts {
    public init(_ parts: [String]) { self.init(joined: parts.joined(separator: "/")) }

    /// Parses `a/b`, as metaxy parses keys back from strings.
    public init(string: String) { self.init(joined: string) }

    public var parts: [String] {
        string.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String($0)! }
    }

    public var description: String { string }

    /// Python list ordering: part by part, each by code point, a prefix first. On the joined
    /// strings that is byte order with the separator below every other byte.
    public static func listLess(_ a: Self, _ b: Self) -> Bool {
        let fast = a.string.utf8.withContiguousStorageIfAvailable { x in
            b.string.utf8.withContiguousStorageIfAvailable { y in StringTable.listLess(x, y) }
        }
        return (fast ?? nil) ?? a.parts.lexicographicallyPrecedes(b.parts) { codePointLess($0, $1) }
    }

    /// Ordering of the `/`-joined strings.
    public static func stringLess(_ a: Self, _ b: Self) -> Bool {
        codePointLess(a.string, b.string)
    }

    /// metaxy's own messages for a part it refuses (reference §1.1), or nil when every part is valid.
    public static func problem(with parts: [String]) -> String? {
        for part in parts where part.utf8.contains(UInt8(ascii: "/")) {
            return "\(kindName) part '\(part)' cannot contain forward slashes (/); use underscores or hyphens instead"
        }
        for part in parts where problem(joined: part) != nil { return problem(joined: part) }
        return nil
    }

    /// The same check for a `/`-joined string: only `__` can be wrong there.
    public static func problem(joined: String) -> String? {
        var previous: UInt8 = 0
        for byte in joined.utf8 {
            if byte == UInt8(ascii: "_") && previous == byte {
                let part = joined.split(separator: "/").first { $0.contains("__") }.map(String.init) ?? joined
                return "\(kindName) part '\(part)' cannot contain double underscores (__); "
                    + "use single underscores or hyphens instead"
            }
            previous = byte
        }
        return nil
    }
}

/// Python's `str` comparison: by Unicode code point, which for UTF-8 is byte order.
/// (Swift's own `<` compares normalised forms, which differs for decomposed text.)
public func codePointLess(_ a: String, _ b: String) -> Bool {
    let fast = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb in
            let n = min(pa.count, pb.count)
            if n > 0, let x = pa.baseAddress, let y = pb.baseAddress {
                let c = memcmp(x, y, n)
                if c != 0 { return c < 0 }
            }
            return pa.count < pb.count
        }
    }
    return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// A feature's identity, such as `example/video` (`["example", "video"]`).
public struct FeatureKey: KeyParts {
    public let string: String
    public static let kindName = "FeatureKey"

    public init(joined: String) { string = joined }

    /// The SQLite table name: parts joined by `__`.
    public var tableName: String { parts.joined(separator: "__") }
}

/// A field of a feature, such as `audio` or `m/n`.
public struct FieldKey: KeyParts {
    public let string: String
    public static let kindName = "FieldKey"

    public init(joined: String) { string = joined }

    /// metaxy's default field, used when a feature declares none.
    public static let `default` = FieldKey(joined: "default")
}
