/// What FeatureKey and FieldKey share: an ordered list of string parts (reference §1.1).
public protocol KeyParts: Hashable, Sendable, CustomStringConvertible {
    var parts: [String] { get }
    /// The parts joined by `/`, cached because every ordering and hash input uses it.
    var string: String { get }
    init(_ parts: [String])
    /// The name metaxy uses in its error messages: `FeatureKey` or `FieldKey`.
    static var kindName: String { get }
}

extension KeyParts {
    /// Splits on `/`, as metaxy parses keys back from strings.
    public init(string: String) {
        self.init(string.split(separator: "/", omittingEmptySubsequences: false).map(String.init))
    }

    public var description: String { string }

    /// Python list ordering: part by part, each by code point, a prefix first.
    /// UTF-8 byte order equals code point order, so bytes are compared.
    public static func listLess(_ a: Self, _ b: Self) -> Bool {
        let n = min(a.parts.count, b.parts.count)
        for i in 0..<n where a.parts[i] != b.parts[i] {
            return codePointLess(a.parts[i], b.parts[i])
        }
        return a.parts.count < b.parts.count
    }

    /// Ordering of the `/`-joined strings.
    public static func stringLess(_ a: Self, _ b: Self) -> Bool {
        codePointLess(a.string, b.string)
    }

    /// metaxy's own messages for a part it refuses (reference §1.1), or nil when every part is valid.
    public static func problem(with parts: [String]) -> String? {
        for part in parts {
            if part.contains("/") {
                return "\(kindName) part '\(part)' cannot contain forward slashes (/); "
                    + "use underscores or hyphens instead"
            }
            if part.contains("__") {
                return "\(kindName) part '\(part)' cannot contain double underscores (__); "
                    + "use single underscores or hyphens instead"
            }
        }
        return nil
    }
}

/// Python's `str` comparison: by Unicode code point, which for UTF-8 is byte order.
@inline(__always)
public func codePointLess(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// A feature's identity, such as `example/video` (`["example", "video"]`).
public struct FeatureKey: KeyParts {
    public let parts: [String]
    public let string: String
    public static let kindName = "FeatureKey"

    public init(_ parts: [String]) {
        self.parts = parts
        self.string = parts.joined(separator: "/")
    }

    /// The SQLite table name: parts joined by `__`.
    public var tableName: String { parts.joined(separator: "__") }

    public static func == (a: Self, b: Self) -> Bool { a.parts == b.parts }
    public func hash(into h: inout Hasher) { h.combine(parts) }
}

/// A field of a feature, such as `audio` or `m/n`.
public struct FieldKey: KeyParts {
    public let parts: [String]
    public let string: String
    public static let kindName = "FieldKey"

    public init(_ parts: [String]) {
        self.parts = parts
        self.string = parts.joined(separator: "/")
    }

    /// metaxy's default field, used when a feature declares none.
    public static let `default` = FieldKey(["default"])

    public static func == (a: Self, b: Self) -> Bool { a.parts == b.parts }
    public func hash(into h: inout Hasher) { h.combine(parts) }
}

/// A field of a given feature; its string `feature.field` orders field-version parents (§1.2).
public struct FQFieldKey: Hashable, Sendable, CustomStringConvertible {
    public let feature: FeatureKey
    public let field: FieldKey

    public init(feature: FeatureKey, field: FieldKey) {
        self.feature = feature
        self.field = field
    }

    public var string: String { feature.string + "." + field.string }
    public var description: String { string }
}
