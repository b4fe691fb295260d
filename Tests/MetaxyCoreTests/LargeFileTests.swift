import Foundation
@testable import MetaxyCore
import Testing
import TestSupport

/// Large JSON graphs are read in parts on all cores; the result, and every problem's position,
/// must be those of reading the file in one piece.
@Suite struct LargeFileTests {
    static let specs = GraphGenerator.dag(features: 4_000, seed: 5)
    static let text = GraphGenerator.json(specs)

    @Test func readingInPartsGivesTheSameGraph() throws {
        let bytes = Array(Self.text.utf8)
        #expect(bytes.count > GraphFileParser.parallelThreshold)
        let parts = try #require(GraphFileParser.readInParts(bytes, file: "big.json"))
        #expect(parts.1.isEmpty)
        #expect(parts.0 == Self.specs)
        #expect(try GraphFileParser.graph(bytes, file: "big.json").snapshotVersion == FeatureGraph(specs: Self.specs).snapshotVersion)
    }

    @Test func problemsInTheSecondHalfKeepTheirLines() throws {
        // Break a feature near the end: its code_version becomes a float.
        var lines = Self.text.components(separatedBy: "\n")
        let target = lines.count - 10
        lines[target] = lines[target].replacingOccurrences(of: "\"code_version\": 1", with: "\"code_version\": 1.5")
        let broken = Array(lines.joined(separator: "\n").utf8)
        let parts = try #require(GraphFileParser.readInParts(broken, file: "big.json"))
        let problem = try #require(parts.1.first)
        #expect(problem.location.line == target + 1)
        // The same position as a one-piece read of the same document.
        var reader = SpecReader(try JSONDocumentReader.read(broken, maxDepth: 200), file: "big.json")
        _ = reader.features(parallel: false)
        #expect(reader.problems.first == problem && reader.problems.first?.location.column == problem.location.column)
    }

    @Test func syntaxErrorsAnywhereFallBackToTheFullReader() {
        let unclosed = Array((Self.text.dropLast(3) + "\n").utf8)  // the final "]}" is missing
        #expect(GraphFileParser.readInParts(unclosed, file: "big.json") == nil)
        #expect(throws: GraphError.self) { try GraphFileParser.parse(unclosed, file: "big.json") }
        let badTail = Array((Self.text.dropLast(2) + ", \"name\": ]}\n").utf8)
        #expect(GraphFileParser.readInParts(badTail, file: "big.json") == nil)
        #expect(throws: GraphError.self) { try GraphFileParser.parse(badTail, file: "big.json") }
        let duplicate = Array((Self.text.dropLast(2) + ", \"features\": []}\n").utf8)
        #expect(throws: GraphError.self) { try GraphFileParser.parse(duplicate, file: "big.json") }
    }
}
