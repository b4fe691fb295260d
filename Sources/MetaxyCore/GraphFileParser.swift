import Foundation
import Yams

/// Reads a graph file (YAML or JSON, DESIGN §3) into feature specs, collecting every problem
/// with its line and column instead of stopping at the first.
public enum GraphFileParser {
    /// Flow brackets nested deeper than this are refused before the YAML parser sees them:
    /// real graphs nest six levels, and the parser recurses once per level.
    static let maxFlowDepth = 200

    /// Parses `bytes` read from `file` (the name is only used in messages).
    public static func parse(_ bytes: [UInt8], file: String) throws(GraphError) -> [FeatureSpec] {
        let (specs, problems) = try read(bytes, file: file)
        if !problems.isEmpty { throw GraphError(problems) }
        return specs
    }

    /// Parses and resolves a graph, reporting problems of the file and of the graph together.
    public static func graph(_ bytes: [UInt8], file: String) throws(GraphError) -> FeatureGraph {
        let (specs, problems) = try read(bytes, file: file)
        return try FeatureGraph(specs: specs, source: file, problems: problems)
    }

    /// The specs that could be read and the problems of the rest; throws only when nothing can be read.
    static func read(_ bytes: [UInt8], file: String) throws(GraphError) -> ([FeatureSpec], [GraphProblem]) {
        let text = try decode(bytes, file: file)
        if bytes.count >= parallelThreshold, let read = readInParts(bytes, file: file) { return read }
        let document = try document(bytes, text: text, file: file)
        var reader = SpecReader(document, file: file)
        let specs = reader.features()
        return (specs, reader.problems)
    }

    /// Files above this size (a few thousand features) are read on all cores.
    static let parallelThreshold = 1 << 21

    /// A JSON graph cut between features and read on all cores; nil when it does not have that
    /// shape or has any problem in its syntax, and is then read in one piece to report it. Four
    /// parts per core even out parts that read slower than others.
    static func readInParts(_ bytes: [UInt8], file: String) -> ([FeatureSpec], [GraphProblem])? {
        guard let split = JSONListSplitter.split(bytes, parts: 4 * Parallel.cores),
              (try? JSONDocumentReader.read(bytes, maxDepth: maxFlowDepth, skip: split)) != nil else { return nil }
        let parts = Parallel.map(split.parts.indices) { p -> ([FeatureSpec], [GraphProblem])? in
            let part = split.parts[p]
            guard let document = try? JSONDocumentReader.readElements(
                bytes, range: part.range, line: part.line, lineStart: part.lineStart, depth: split.depth, maxDepth: maxFlowDepth)
            else { return nil }
            var reader = SpecReader(document, file: file)
            return (reader.features(parallel: false), reader.problems)
        }
        guard parts.allSatisfy({ $0 != nil }) else { return nil }
        return (parts.flatMap { $0!.0 }, parts.flatMap { $0!.1 })
    }

    static func decode(_ bytes: [UInt8], file: String) throws(GraphError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        // Locate the first bad byte so the user can find it.
        var line = 1, lineStart = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if String(validating: bytes[lineStart..<i], as: UTF8.self) == nil { break }
            line += 1
            lineStart = i + 1
        }
        throw GraphError([GraphProblem(
            file: file, location: SourceLocation(line: line, column: 1),
            message: "this line is not valid UTF-8; save the file as UTF-8")])
    }

    /// JSON goes to the fast JSON reader; YAML, and JSON-looking text that is not strict JSON
    /// (flow-style YAML such as `{features: []}`), to Yams.
    static func document(_ bytes: [UInt8], text: String, file: String) throws(GraphError) -> Document {
        let first = bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return try compose(text, file: file) }
        do {
            return try JSONDocumentReader.read(bytes, maxDepth: maxFlowDepth)
        } catch {
            if let yaml = try? compose(text, file: file) { return yaml }
            throw GraphError([GraphProblem(file: file, location: error.location, message: "not valid JSON: \(error.message)")])
        }
    }

    /// Parses YAML into a node tree with positions, or a problem at the parser's position.
    static func compose(_ text: String, file: String) throws(GraphError) -> Document {
        if let deep = tooDeep(text) {
            throw GraphError([GraphProblem(
                file: file, location: deep,
                message: "brackets are nested more than \(maxFlowDepth) levels deep; this is not a graph file")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw GraphError([yamlProblem(error, file: file)])
        } catch {
            throw GraphError([GraphProblem(file: file, location: .unknown, message: "\(error)")])
        }
        guard let document = root.map(Document.init(yaml:)), !document.isNull(document.root) else {
            throw GraphError([GraphProblem(
                file: file, location: SourceLocation(line: 1, column: 1),
                message: "the file is empty; an empty graph is written `features: []`")])
        }
        return document
    }

    /// The first place where `[`/`{` nesting (outside quotes and comments) passes the limit.
    static func tooDeep(_ text: String) -> SourceLocation? {
        var depth = 0, line = 1, column = 0
        var quote: UInt8 = 0, escaped = false, comment = false, previous: UInt8 = 0x0A
        for b in text.utf8 {
            column += 1
            if b == 0x0A {
                line += 1; column = 0; comment = false; previous = b
                continue
            }
            defer { previous = b }
            if comment { continue }
            if quote != 0 {
                if escaped { escaped = false } else if quote == 0x22 && b == 0x5C { escaped = true }
                else if b == quote { quote = 0 }
                continue
            }
            switch b {
            case 0x22, 0x27: quote = b
            case 0x23 where previous == 0x20 || previous == 0x09 || previous == 0x0A: comment = true
            case 0x5B, 0x7B:
                depth += 1
                if depth > maxFlowDepth { return SourceLocation(line: line, column: column) }
            case 0x5D, 0x7D: depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    static func yamlProblem(_ error: YamlError, file: String) -> GraphProblem {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let what = [problem, context?.text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return GraphProblem(file: file, location: SourceLocation(line: mark.line, column: mark.column),
                                message: "not valid YAML or JSON: \(what)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return GraphProblem(file: file, location: SourceLocation(line: context.mark.line, column: context.mark.column),
                                message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
        default:
            return GraphProblem(file: file, location: .unknown, message: "not valid YAML or JSON: \(error)")
        }
    }
}
