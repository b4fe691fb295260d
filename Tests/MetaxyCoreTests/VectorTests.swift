import Foundation
import MetaxyCore
import Testing
import TestSupport

/// Every graph recorded from metaxy 0.0.0 gives exactly metaxy's versions.
@Suite struct VectorTests {
    @Test(arguments: Fixtures.graphFiles)
    func versionsMatchMetaxy(file: URL) throws {
        let graph = try GraphLoader.load(path: file.path)
        let expected = try #require((Fixtures.json(file) as? [String: Any])?["expected"] as? [String: Any])
        #expect(graph.snapshotVersion == expected["snapshot_version"] as? String)
        let features = try #require(expected["features"] as? [String: [String: Any]])
        #expect(features.count == graph.count)
        for (key, want) in features {
            let f = try #require(graph.index(of: FeatureKey(string: key)), "missing \(key)")
            #expect(graph.featureVersion(f) == want["feature_version"] as? String, "\(key)")
            let fields = try #require(want["fields"] as? [String: String])
            #expect(fields.count == graph.specs[f].fields.count)
            for (k, field) in graph.specs[f].fields.enumerated() {
                #expect(graph.fieldVersion(f, k) == fields[field.key.string], "\(key).\(field.key)")
            }
        }
    }

    @Test func referenceExamplesHashAsDocumented() throws {
        let graph = try GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/video.json").path)
        let video = try #require(graph.index(of: FeatureKey(string: "example/video")))
        // reference §3.1: sha256("example/video.audio1")
        #expect(graph.fieldVersion(video, 0) == "2274238132e8ddf5b2f64bd926e35f3dbcf910e45f49a0d1f3383b1a28421b49")
        #expect(graph.featureVersion(video) == "bc9ca8356b1b8d2e2e25455bc8d0d4c51d00dfe826f08df38bbf8df0042fc890")
        #expect(graph.snapshotVersion == "8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d")
    }

    @Test func emptyGraphSnapshotIsTheWordEmpty() throws {
        #expect(try Fixtures.graph("features: []").snapshotVersion == "empty")
    }

    @Test func bundledDemoIsTheVideoGraph() throws {
        #expect(try DemoGraph.graph().snapshotVersion == "8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d")
    }

    /// The fixtures are a copy of the shared vectors; when the shared folder is present they must agree.
    @Test func fixturesMatchSharedVectors() throws {
        let shared = Fixtures.repository.deletingLastPathComponent().appendingPathComponent("shared/vectors/graphs")
        guard FileManager.default.fileExists(atPath: shared.path) else { return }
        for file in Fixtures.graphFiles {
            #expect(try Fixtures.data(file) == Fixtures.data(shared.appendingPathComponent(file.lastPathComponent)),
                    "\(file.lastPathComponent) differs from ../shared/vectors")
        }
    }
}
