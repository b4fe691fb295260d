import Foundation
import MetaxyCore

/// Paths of the repository's fixtures, found from this file's location so tests run from any directory.
public enum Fixtures {
    public static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The vectors recorded from metaxy 0.0.0, copied from `../shared/vectors` so the repository stands alone.
    public static let vectors = repository.appendingPathComponent("Tests/Fixtures/vectors")

    /// The graph vector files, without the index.
    public static var graphFiles: [URL] {
        let dir = vectors.appendingPathComponent("graphs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") && $0 != "index.json" }.sorted().map { dir.appendingPathComponent($0) }
    }

    public static func data(_ url: URL) throws -> Data { try Data(contentsOf: url) }

    public static func json(_ url: URL) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: url)) }

    /// Parses and resolves graph text as a file of the given name would be.
    public static func graph(_ text: String, file: String = "test.yaml") throws -> FeatureGraph {
        try GraphFileParser.graph(Array(text.utf8), file: file)
    }

    /// The problems a graph text produces (empty when it loads).
    public static func problems(_ text: String, file: String = "test.yaml") -> [GraphProblem] {
        do {
            _ = try graph(text, file: file)
            return []
        } catch let error as GraphError {
            return error.problems
        } catch {
            return [GraphProblem(file: file, location: .unknown, message: "\(error)")]
        }
    }

    /// A fresh temporary directory, removed by the caller when done.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("metaxy-tui-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
