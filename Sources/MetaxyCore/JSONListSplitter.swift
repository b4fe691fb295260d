/// Finds the list that holds a JSON graph's features (the document itself, or its top-level
/// `features` member) and cuts it between elements into parts of about equal size, so the parts
/// can be read on separate cores. Strings are followed with their escapes; anything unexpected
/// returns nil, and the file is then read in one piece, which reports the problem properly.
struct JSONListSplitter {
    struct Part {
        let range: Range<Int>
        let line: Int
        let lineStart: Int
    }

    struct Split {
        /// From `[` to `]` inclusive.
        let list: Range<Int>
        /// Line and line start just after the list, for reading on past it.
        let lineAfter: Int
        let lineStartAfter: Int
        /// Nesting depth of the list's elements (1 in a top-level list, 2 under `features`).
        let depth: Int
        let parts: [Part]
    }

    static func split(_ bytes: [UInt8], parts count: Int) -> Split? {
        bytes.withUnsafeBufferPointer { split($0, parts: count) }
    }

    private static func split(_ b: UnsafeBufferPointer<UInt8>, parts count: Int) -> Split? {
        var i = 0, line = 1, lineStart = 0, depth = 0
        var listOpen = -1, listDepth = 0
        var keyStart = -1, lastKeyIsFeatures = false
        var commas: [(at: Int, line: Int, lineStart: Int)] = []
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        while i < b.count {
            let c = b[i]
            switch c {
            case 0x0A:
                line += 1
                lineStart = i + 1
            case quote:
                keyStart = i + 1
                i += 1
                while i < b.count && b[i] != quote {
                    if b[i] == backslash { i += 1 } else if b[i] == 0x0A { return nil }
                    i += 1
                }
                guard i < b.count else { return nil }
                lastKeyIsFeatures = depth == 1 && listOpen < 0 && i - keyStart == 8
                    && b[keyStart..<i].elementsEqual("features".utf8)
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if listOpen < 0 && c == UInt8(ascii: "[") && (depth == 1 || lastKeyIsFeatures) {
                    listOpen = i
                    listDepth = depth
                }
                lastKeyIsFeatures = false
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                if listOpen >= 0 && depth == listDepth {
                    guard c == UInt8(ascii: "]") else { return nil }
                    return cut(list: listOpen..<(i + 1), depth: listDepth, commas: commas, parts: count, b: b,
                               after: (line, lineStart))
                }
                depth -= 1
                guard depth >= 0 else { return nil }
            case UInt8(ascii: ","):
                if listOpen >= 0 && depth == listDepth { commas.append((i, line, lineStart)) }
                lastKeyIsFeatures = false
            default:
                break
            }
            i += 1
        }
        return nil
    }

    private static func cut(list: Range<Int>, depth: Int, commas: [(at: Int, line: Int, lineStart: Int)], parts count: Int,
                            b: UnsafeBufferPointer<UInt8>, after: (line: Int, lineStart: Int)) -> Split? {
        guard count > 1, commas.count >= count else { return nil }
        // The line the list's inside starts on.
        var line = 1, lineStart = 0
        for j in 0..<list.lowerBound where b[j] == 0x0A { line += 1; lineStart = j + 1 }
        var parts: [Part] = []
        var start = Part(range: (list.lowerBound + 1)..<(list.lowerBound + 1), line: line, lineStart: lineStart)
        var next = 0
        for k in 1..<count {
            let target = list.lowerBound + list.count * k / count
            while next < commas.count - 1 && commas[next].at < target { next += 1 }
            let comma = commas[next]
            parts.append(Part(range: start.range.lowerBound..<comma.at, line: start.line, lineStart: start.lineStart))
            start = Part(range: (comma.at + 1)..<(comma.at + 1), line: comma.line, lineStart: comma.lineStart)
            next += 1
            guard next < commas.count || k == count - 1 else { return nil }
        }
        parts.append(Part(range: start.range.lowerBound..<(list.upperBound - 1), line: start.line, lineStart: start.lineStart))
        return Split(list: list, lineAfter: after.line, lineStartAfter: after.lineStart, depth: depth, parts: parts)
    }
}
