/// A JSON reader that keeps line and column for every value. Graph files are usually JSON dumps
/// from metaxy, and Yams reads about 2 MB/s (a 10,000-feature dump took 3.5 s); this reads them
/// in tens of milliseconds. Anything that is not strict JSON goes to Yams instead.
struct JSONDocumentReader {
    struct Failure: Error {
        let location: SourceLocation
        let message: String
    }

    /// The input, borrowed for the duration of `read`: unchecked access is most of the speed.
    /// JSON Lines narrow it to the line being read.
    private var bytes: UnsafeBufferPointer<UInt8>
    /// What ends where `bytes` ends, for messages: the document, or the line of JSON Lines.
    private var ending = "the document"
    private var doc: Document
    private var scratch: [Document.Node] = []
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private let maxDepth: Int
    /// A list to pass over without reading (its place holds an empty list), read elsewhere in parallel.
    private var skip: JSONListSplitter.Split?

    private init(_ bytes: UnsafeBufferPointer<UInt8>, document: Document, maxDepth: Int) {
        self.bytes = bytes
        self.doc = document
        self.doc.isJSON = true
        self.maxDepth = maxDepth
    }

    /// Reads a whole document; the list of `skip`, read separately, appears as an empty list.
    static func read(_ input: [UInt8], maxDepth: Int, skip: JSONListSplitter.Split? = nil) throws(Failure) -> Document {
        try input.withUnsafeBufferPointer { (bytes) throws(Failure) -> Document in
            var reader = JSONDocumentReader(bytes, document: Document(bytes: input), maxDepth: maxDepth)
            reader.skip = skip
            let expected = skip == nil ? bytes.count / 12 : 64
            reader.doc.records.reserveCapacity(expected)
            reader.doc.children.reserveCapacity(expected)
            _ = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.i == bytes.count else { throw reader.failure("unexpected text after the JSON document") }
            return reader.doc
        }
    }

    /// Reads JSON Lines: one value per line (blank lines skipped), as one document whose root is
    /// a list of them; each value's line is its node's line.
    static func readLines(_ input: [UInt8], maxDepth: Int) throws(Failure) -> Document {
        try input.withUnsafeBufferPointer { (bytes) throws(Failure) -> Document in
            var reader = JSONDocumentReader(bytes, document: Document(bytes: input), maxDepth: maxDepth)
            reader.doc.records.reserveCapacity(bytes.count / 8)
            reader.doc.children.reserveCapacity(bytes.count / 8)
            let root = reader.doc.openContainer(.sequence, line: 1, column: 1)
            var nodes: [Document.Node] = []
            reader.ending = "the line"
            reader.skipSpace()
            while reader.i < bytes.count {
                // Each value is read within its line: a broken row fails on its own line instead
                // of running into the next ones.
                var end = reader.i
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                reader.bytes = UnsafeBufferPointer(rebasing: bytes[..<end])
                nodes.append(try reader.value(depth: 1))
                while reader.i < end, bytes[reader.i] == 0x20 || bytes[reader.i] == 0x09 || bytes[reader.i] == 0x0D {
                    reader.i += 1
                }
                guard reader.i == end else { throw reader.failure("more than one JSON value on the line") }
                reader.bytes = bytes
                reader.skipSpace()
            }
            reader.doc.closeContainer(root, children: nodes[...])
            return reader.doc
        }
    }

    /// Reads the comma-separated values in `range` (the inside of a list, starting at `line`) as a
    /// document of their own, whose root is a list of them.
    static func readElements(_ input: [UInt8], range: Range<Int>, line: Int, lineStart: Int, depth: Int, maxDepth: Int)
        throws(Failure) -> Document
    {
        try input.withUnsafeBufferPointer { (bytes) throws(Failure) -> Document in
            var reader = JSONDocumentReader(UnsafeBufferPointer(rebasing: bytes[..<range.upperBound]),
                                            document: Document(bytes: input), maxDepth: maxDepth)
            reader.i = range.lowerBound
            reader.line = line
            reader.lineStart = lineStart
            reader.doc.records.reserveCapacity(range.count / 12)
            reader.doc.children.reserveCapacity(range.count / 12)
            let root = reader.doc.openContainer(.sequence, line: line, column: range.lowerBound - lineStart + 1)
            var nodes: [Document.Node] = []
            reader.skipSpace()
            while reader.i < range.upperBound {
                nodes.append(try reader.value(depth: depth))
                reader.skipSpace()
                guard reader.i < range.upperBound else { break }
                guard bytes[reader.i] == UInt8(ascii: ",") else { throw reader.failure("expected ',' or ']' in a list") }
                reader.i += 1
            }
            reader.doc.closeContainer(root, children: nodes[...])
            return reader.doc
        }
    }

    private var here: SourceLocation { SourceLocation(line: line, column: i - lineStart + 1) }

    private func failure(_ message: String) -> Failure { Failure(location: here, message: message) }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0D: i += 1
            case 0x0A: i += 1; line += 1; lineStart = i
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(Failure) -> Document.Node {
        skipSpace()
        guard i < bytes.count else { throw failure("\(ending) ends where a value was expected") }
        guard depth < maxDepth else { throw failure("values are nested more than \(maxDepth) levels deep") }
        let at = here
        switch bytes[i] {
        case UInt8(ascii: "{"):
            return try container(.mapping, at: at, close: UInt8(ascii: "}"), what: "an object") { (reader) throws(Failure) in
                guard reader.i < reader.bytes.count else { throw reader.failure("\(reader.ending) ends inside an object") }
                guard reader.bytes[reader.i] == UInt8(ascii: "\"") else { throw reader.failure("expected a quoted key") }
                let key = try reader.string()
                reader.scratch.append(key)
                reader.skipSpace()
                guard reader.i < reader.bytes.count, reader.bytes[reader.i] == UInt8(ascii: ":") else {
                    throw reader.failure("expected ':' after a key")
                }
                reader.i += 1
                let item = try reader.value(depth: depth + 1)
                reader.scratch.append(item)
            }
        case UInt8(ascii: "[") where skip?.list.lowerBound == i:
            let node = doc.openContainer(.sequence, line: at.line, column: at.column)
            doc.closeContainer(node, children: [])
            i = skip!.list.upperBound
            line = skip!.lineAfter
            lineStart = skip!.lineStartAfter
            return node
        case UInt8(ascii: "["):
            return try container(.sequence, at: at, close: UInt8(ascii: "]"), what: "a list") { (reader) throws(Failure) in
                let item = try reader.value(depth: depth + 1)
                reader.scratch.append(item)
            }
        case UInt8(ascii: "\""):
            return try string()
        default:
            let start = i
            while i < bytes.count, isBareValueByte(bytes[i]) { i += 1 }
            let word = UnsafeBufferPointer(rebasing: bytes[start..<i])
            guard isNumber(word) || word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8)
                || word.elementsEqual("null".utf8) else {
                i = start
                throw failure("expected a value")
            }
            return doc.addScalar(quoted: false, start: start, end: i, line: at.line, column: at.column)
        }
    }

    /// An object or list at `i` (on its opening bracket): entries, each read by `entry` onto
    /// `scratch`, separated by commas, up to `close`.
    private mutating func container(_ kind: Document.Kind, at: SourceLocation, close: UInt8, what: String,
                                    entry: (inout Self) throws(Failure) -> Void) throws(Failure) -> Document.Node {
        i += 1
        let node = doc.openContainer(kind, line: at.line, column: at.column)
        let mark = scratch.count
        skipSpace()
        if i < bytes.count && bytes[i] == close {
            i += 1
        } else {
            while true {
                skipSpace()
                try entry(&self)
                skipSpace()
                guard i < bytes.count else { throw failure("\(ending) ends inside \(what)") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == close { i += 1; break }
                throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))' in \(what)")
            }
        }
        if kind == .mapping { try checkDuplicateKeys(scratch[mark...]) }
        doc.closeContainer(node, children: scratch[mark...])
        scratch.removeLast(scratch.count - mark)
        return node
    }

    /// JSON allows repeated keys but they are always a mistake in a graph file; YAML refuses them too.
    private func checkDuplicateKeys(_ entries: ArraySlice<Document.Node>) throws(Failure) {
        let count = entries.count / 2
        guard count > 1 else { return }
        let first = entries.startIndex
        var duplicate: Document.Node?
        if count <= 8 {
            // Pairwise byte comparison: no allocation for the small objects that make up a graph.
            search: for j in 1..<count {
                for i in 0..<j where doc.sameText(entries[first + 2 * i], entries[first + 2 * j]) {
                    duplicate = entries[first + 2 * j]
                    break search
                }
            }
        } else {
            var seen = Set<String>()
            duplicate = stride(from: first, to: entries.endIndex, by: 2).lazy.map { entries[$0] }
                .first { !seen.insert(doc.rawText($0)).inserted }
        }
        if let duplicate {
            throw Failure(location: doc.location(duplicate), message: "duplicate key '\(doc.rawText(duplicate))' in one object")
        }
    }

    private func isBareValueByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: "E")
    }

    private func isNumber(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = word.first else { return false }
        return first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
    }

    /// A string at `i` (on its opening quote); without escapes it is just a range of the input.
    private mutating func string() throws(Failure) -> Document.Node {
        let at = here
        i += 1
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return doc.addScalar(quoted: true, start: start, end: i - 1, line: at.line, column: at.column)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw failure("a control character inside a string; escape it") }
            i += 1
        }
        var scalars = String.UnicodeScalarView()
        var out = String(decoding: bytes[start..<i], as: UTF8.self)
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                out.unicodeScalars.append(contentsOf: scalars)
                return doc.addDecoded(out, line: at.line, column: at.column)
            }
            if b < 0x20 { throw failure("a control character inside a string; escape it") }
            if b != UInt8(ascii: "\\") {
                // Copy one UTF-8 sequence.
                let length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4
                let end = min(i + length, bytes.count)
                scalars.append(contentsOf: String(decoding: bytes[i..<end], as: UTF8.self).unicodeScalars)
                i = end
                continue
            }
            i += 1
            guard i < bytes.count else { break }
            let escape = bytes[i]
            i += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var unit = try hex4()
                if (0xD800..<0xDC00).contains(unit), i + 1 < bytes.count,
                   bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                    i += 2
                    let low = try hex4()
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                }
                scalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
            default:
                throw failure("unknown escape '\\\(Character(Unicode.Scalar(escape)))' in a string")
            }
        }
        throw failure("a string is not closed")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= bytes.count, let value = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
        else { throw failure("expected four hex digits after \\u") }
        i += 4
        return value
    }
}
