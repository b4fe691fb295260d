import MetaxyCore

/// JSONL rows of the usual shape read straight from the bytes: `{"sample_uid": 1, "data_version":
/// {"audio": "a1"}, "path": "x"}`, with ASCII keys and strings without escapes, integer or string
/// uids and plain column values. Anything else, including every error, makes `scan` return nil
/// and the general JSON reader take the whole input, so both accept and reject the same files.
struct SampleLineScanner {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var line = 1
    private let fields: [[UInt8]]

    static func scan(_ bytes: [UInt8], fields: [String]) -> SampleBatch? {
        bytes.withUnsafeBufferPointer { b in
            var scanner = SampleLineScanner(b: b, fields: fields.map { Array($0.utf8) })
            return scanner.rows()
        }
    }

    private init(b: UnsafeBufferPointer<UInt8>, fields: [[UInt8]]) {
        self.b = b
        self.fields = fields
    }

    private mutating func rows() -> SampleBatch? {
        var batch = SampleBatch()
        batch.text.reserveCapacity(b.count / 2)
        var given: [Range<Int>?] = Array(repeating: nil, count: fields.count)
        while true {
            // Blank lines between rows, as the general reader skips them.
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x0A {
                if b[i] == 0x0A { line += 1 }
                i += 1
            }
            guard i < b.count else { return batch }
            guard let row = row(&batch, &given) else { return nil }
            batch.append(line: line, uid: row.uid, version: row.version, columns: row.columns)
            skipSpace()
            guard i == b.count || b[i] == 0x0A else { return nil }
        }
    }

    private mutating func row(_ batch: inout SampleBatch, _ given: inout [Range<Int>?])
        -> (uid: SampleUID, version: Range<Int>?, columns: [(String, JSONValue)])?
    {
        guard take(UInt8(ascii: "{")) else { return nil }
        var uid: SampleUID?, version: Range<Int>?, sawVersion = false
        var columns: [(String, JSONValue)] = []
        repeat {
            guard let key = memberName() else { return nil }
            if equal(key, "sample_uid") {
                guard uid == nil else { return nil }
                if let n = integer() { uid = .int(n) } else if let s = string() { uid = .string(text(s)) } else { return nil }
            } else if equal(key, "data_version") {
                guard !sawVersion else { return nil }
                sawVersion = true
                if !literal("null") {
                    guard dataVersion(&given) else { return nil }
                    let start = batch.text.count
                    batch.text.append(UInt8(ascii: "{"))
                    for (k, field) in fields.enumerated() {
                        if k > 0 { batch.text.append(UInt8(ascii: ",")) }
                        batch.text.append(UInt8(ascii: "\""))
                        batch.text.append(contentsOf: field)
                        batch.text.append(contentsOf: "\":\"".utf8)
                        batch.text.append(contentsOf: UnsafeBufferPointer(rebasing: b[given[k]!]))
                        batch.text.append(UInt8(ascii: "\""))
                    }
                    batch.text.append(UInt8(ascii: "}"))
                    version = start..<batch.text.count
                }
            } else {
                let name = text(key)
                guard !systemColumns.contains(name), !columns.contains(where: { $0.0 == name }), let value = plainValue() else { return nil }
                columns.append((name, value))
            }
            skipSpace()
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")), let uid else { return nil }
        return (uid, version, columns)
    }

    /// `{"field": "value", ...}` with exactly the feature's fields; their value ranges in `given`.
    private mutating func dataVersion(_ given: inout [Range<Int>?]) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        for k in given.indices { given[k] = nil }
        var seen = 0
        skipSpace()
        if !take(UInt8(ascii: "}")) {
            repeat {
                guard let key = memberName(), let value = string(),
                      let k = fields.firstIndex(where: { $0.elementsEqual(b[key]) }), given[k] == nil else { return false }
                given[k] = value
                seen += 1
                skipSpace()
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return false }
        }
        return seen == fields.count
    }

    /// `"name" :` with the spaces around, up to the value: the name's range.
    private mutating func memberName() -> Range<Int>? {
        skipSpace()
        guard let name = string() else { return nil }
        skipSpace()
        guard take(UInt8(ascii: ":")) else { return nil }
        skipSpace()
        return name
    }

    /// A string of printable ASCII without escapes: the range of its contents.
    private mutating func string() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\"") {
            guard b[i] >= 0x20, b[i] < 0x7F, b[i] != UInt8(ascii: "\\") else { return nil }
            i += 1
        }
        guard i < b.count else { return nil }
        i += 1
        return start..<(i - 1)
    }

    /// `0` or `-?[1-9][0-9]{0,17}` ending the value: what fits an Int64 without question.
    private mutating func integer() -> Int64? {
        var j = i, negative = false
        if j < b.count, b[j] == UInt8(ascii: "-") { negative = true; j += 1 }
        let digits = j
        var n: Int64 = 0
        while j < b.count, b[j] >= UInt8(ascii: "0"), b[j] <= UInt8(ascii: "9") {
            n = n * 10 + Int64(b[j] - UInt8(ascii: "0"))
            j += 1
        }
        let count = j - digits
        guard count > 0, count <= 18, count == 1 || b[digits] != UInt8(ascii: "0"), !(negative && n == 0) else { return nil }
        if j < b.count {
            switch b[j] {
            case 0x20, 0x09, 0x0D, UInt8(ascii: ","), UInt8(ascii: "}"): break
            default: return nil
            }
        }
        i = j
        return negative ? -n : n
    }

    private mutating func plainValue() -> JSONValue? {
        if let n = integer() { return .int(Int(n)) }
        if let s = string() { return .string(text(s)) }
        if literal("true") { return .bool(true) }
        if literal("false") { return .bool(false) }
        if literal("null") { return .null }
        return nil
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count, UnsafeBufferPointer(start: word.utf8Start, count: n).elementsEqual(b[i..<(i + n)]) else { return false }
        i += n
        return true
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard i < b.count, b[i] == byte else { return false }
        i += 1
        return true
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D { i += 1 }
    }

    private func equal(_ range: Range<Int>, _ word: StaticString) -> Bool {
        UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount).elementsEqual(b[range])
    }

    private func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self) }
}
