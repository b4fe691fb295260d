import Foundation
import Yams

/// A parsed YAML or JSON document stored flat: one record per node, scalars as byte ranges of
/// one buffer. Graph files reach tens of megabytes, and a tree of small objects cost more in
/// allocation than the parsing itself.
struct Document {
    enum Kind: UInt8 { case plain, quoted, sequence, mapping }

    struct Record {
        var kind: Kind
        /// Scalars: start of the text in `bytes`, or `-1 - i` for `decoded[i]`. Containers: first child in `children`.
        var start: Int32
        /// Scalars: end of the text. Containers: number of children (mappings: key, value, key, value…).
        var end: Int32
        var line: Int32
        var column: Int32
    }

    typealias Node = Int32

    var bytes: [UInt8]
    /// JSON, where an unquoted scalar is a number, a boolean or null and never a string.
    var isJSON = false
    var records: [Record] = []
    var children: [Node] = []
    /// Scalars whose text is not a plain slice of `bytes` (JSON strings with escapes).
    var decoded: [String] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    var root: Node { 0 }

    func kind(_ n: Node) -> Kind { records[Int(n)].kind }

    func location(_ n: Node) -> SourceLocation {
        let r = records[Int(n)]
        return SourceLocation(line: Int(r.line), column: Int(r.column))
    }

    /// Positions in `children` of a container's children (mappings: key, value, key, value…).
    /// Positions rather than a slice: a slice retains the array, and from several threads at once
    /// that reference count becomes the bottleneck.
    func itemRange(_ n: Node) -> Range<Int> {
        let r = records[Int(n)]
        return Int(r.start)..<Int(r.start + r.end)
    }

    func child(_ position: Int) -> Node { children[position] }

    func itemCount(_ n: Node) -> Int { Int(records[Int(n)].end) }

    /// Key and value of each entry of a mapping.
    func pairs(_ n: Node) -> [(key: Node, value: Node)] {
        stride(from: itemRange(n).lowerBound, to: itemRange(n).upperBound, by: 2).map { (children[$0], children[$0 + 1]) }
    }

    func isScalar(_ n: Node) -> Bool { kind(n) == .plain || kind(n) == .quoted }

    /// YAML's null: an unquoted `null`, `~` or nothing.
    func isNull(_ n: Node) -> Bool {
        let r = records[Int(n)]
        guard r.kind == .plain else { return false }
        return r.end == r.start || equals(n, "null") || equals(n, "~") || equals(n, "Null") || equals(n, "NULL")
    }

    /// The text of a scalar (nil for containers and null).
    func text(_ n: Node) -> String? {
        guard isScalar(n), !isNull(n) else { return nil }
        return rawText(n)
    }

    func rawText(_ n: Node) -> String {
        let r = records[Int(n)]
        if r.start < 0 { return decoded[Int(-1 - r.start)] }
        return String(decoding: bytes[Int(r.start)..<Int(r.end)], as: UTF8.self)
    }

    func appendText(_ n: Node, to buffer: inout [UInt8]) {
        let r = records[Int(n)]
        if r.start < 0 { buffer.append(contentsOf: decoded[Int(-1 - r.start)].utf8) }
        else { buffer.append(contentsOf: bytes[Int(r.start)..<Int(r.end)]) }
    }

    /// Compares a scalar's text with `literal` without making a String.
    func equals(_ n: Node, _ literal: StaticString) -> Bool {
        let r = records[Int(n)]
        guard r.kind == .plain || r.kind == .quoted else { return false }
        if r.start < 0 { return decoded[Int(-1 - r.start)] == literal.description }
        let length = Int(r.end - r.start)
        guard length == literal.utf8CodeUnitCount else { return false }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + Int(r.start), literal.utf8Start, length) == 0 }
    }

    func sameText(_ a: Node, _ b: Node) -> Bool {
        let x = records[Int(a)], y = records[Int(b)]
        guard x.start >= 0, y.start >= 0 else { return rawText(a) == rawText(b) }
        guard x.end - x.start == y.end - y.start else { return false }
        return bytes.withUnsafeBufferPointer {
            memcmp($0.baseAddress! + Int(x.start), $0.baseAddress! + Int(y.start), Int(x.end - x.start)) == 0
        }
    }

    /// The value stored under `key` in a mapping.
    func value(_ n: Node, _ key: StaticString) -> Node? {
        guard kind(n) == .mapping else { return nil }
        let range = itemRange(n)
        for i in stride(from: range.lowerBound, to: range.upperBound, by: 2) where equals(children[i], key) {
            return children[i + 1]
        }
        return nil
    }

    // MARK: building

    mutating func addScalar(quoted: Bool, start: Int, end: Int, line: Int, column: Int) -> Node {
        records.append(Record(kind: quoted ? .quoted : .plain, start: Int32(start), end: Int32(end),
                              line: Int32(line), column: Int32(column)))
        return Node(records.count - 1)
    }

    mutating func addDecoded(_ text: String, line: Int, column: Int) -> Node {
        decoded.append(text)
        records.append(Record(kind: .quoted, start: Int32(-decoded.count), end: 0, line: Int32(line), column: Int32(column)))
        return Node(records.count - 1)
    }

    /// Reserves a container's record before its children, which come after it.
    mutating func openContainer(_ kind: Kind, line: Int, column: Int) -> Node {
        records.append(Record(kind: kind, start: 0, end: 0, line: Int32(line), column: Int32(column)))
        return Node(records.count - 1)
    }

    mutating func closeContainer(_ n: Node, children list: ArraySlice<Node>) {
        records[Int(n)].start = Int32(children.count)
        records[Int(n)].end = Int32(list.count)
        children.append(contentsOf: list)
    }

    /// Yams' tree, flattened (aliases become null).
    init(yaml node: Yams.Node) {
        self.init(bytes: [])
        var scratch: [Node] = []
        _ = add(node, scratch: &scratch)
    }

    private mutating func add(_ node: Yams.Node, scratch: inout [Node]) -> Node {
        let line = node.mark?.line ?? 0, column = node.mark?.column ?? 0
        switch node {
        case let .scalar(s):
            let start = bytes.count
            bytes.append(contentsOf: s.string.utf8)
            return addScalar(quoted: s.style != .plain, start: start, end: bytes.count, line: line, column: column)
        case let .sequence(seq):
            let n = openContainer(.sequence, line: line, column: column)
            let mark = scratch.count
            for item in seq {
                let child = add(item, scratch: &scratch)
                scratch.append(child)
            }
            closeContainer(n, children: scratch[mark...])
            scratch.removeSubrange(mark...)
            return n
        case let .mapping(map):
            let n = openContainer(.mapping, line: line, column: column)
            let mark = scratch.count
            for (key, value) in map {
                let k = add(key, scratch: &scratch)
                scratch.append(k)
                let v = add(value, scratch: &scratch)
                scratch.append(v)
            }
            closeContainer(n, children: scratch[mark...])
            scratch.removeSubrange(mark...)
            return n
        case .alias:
            return addScalar(quoted: false, start: bytes.count, end: bytes.count, line: line, column: column)
        }
    }
}
