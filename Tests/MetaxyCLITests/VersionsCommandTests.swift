import Foundation
import MetaxyCore
import Testing
import TestSupport

/// `metaxy-tui graph versions`, run as a user or a script runs it.
@Suite struct VersionsCommandTests {
    @Test(arguments: Fixtures.graphFiles)
    func jsonReproducesTheRecordedVersions(file: URL) throws {
        let result = try Binary.run(["graph", "versions", file.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let actual = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? NSDictionary)
        let expected = try #require((Fixtures.json(file) as? [String: Any])?["expected"] as? NSDictionary)
        #expect(actual == expected)
        // The contract's exact shape, keys in order.
        #expect(result.stdout.hasPrefix("{\n  \"snapshot_version\": "))
    }

    @Test func theReadmesShortFormGivesTheVideoSnapshot() throws {
        let readme = try String(contentsOf: Fixtures.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let block = try #require(readme.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("video.yaml")
        try block.write(to: file, atomically: true, encoding: .utf8)
        let result = try Binary.run(["graph", "versions", file.path, "--format", "json"])
        #expect(result.stdout.contains("\"snapshot_version\": \"8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d\""),
                "\(result.stdout)\(result.stderr)")
    }

    @Test func textListsEveryVersionInTopologicalOrder() throws {
        let file = Fixtures.vectors.appendingPathComponent("graphs/video.json")
        let result = try Binary.run(["graph", "versions", file.path])
        #expect(result.status == 0)
        #expect(Golden.mismatch(result.stdout, golden: CLIGoldens.own("video.versions.txt")) == nil)
    }

    @Test func withoutATerminalTheBrowserRefusesAndPointsToTheSubcommands() throws {
        let result = try Binary.run([])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("the interactive browser needs a terminal, and standard output is not one"))
        #expect(result.stderr.contains("metaxy-tui graph versions GRAPH"))
    }
}

enum CLIGoldens {
    static let directory = Fixtures.repository.appendingPathComponent("Tests/MetaxyCLITests/Goldens")
    /// Written by metaxy 0.0.0 itself (Scripts/oracle/render_goldens.py); never regenerated here.
    static func metaxy(_ name: String) -> URL { directory.appendingPathComponent("metaxy/" + name) }
    /// metaxy-tui's own formats; `UPDATE_GOLDENS=1` rewrites them.
    static func own(_ name: String) -> URL { directory.appendingPathComponent("own/" + name) }
}

/// `store snapshots` and `STORE@SNAPSHOT` references, on the store Python metaxy wrote.
@Suite struct StoreReferenceCommandTests {
    static let demo = Fixtures.vectors.appendingPathComponent("stores/metaxy0-demo.sqlite").path

    @Test func snapshotsAsJSON() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: Self.demo))
        let result = try Binary.run(["store", "snapshots", Self.demo, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            [
              {
                "snapshot_version": "67e70b838971e174c17218e421a213d96f3a1f640dac187feb552a24fe23c7db",
                "recorded_at": "2026-11-27T22:00:44.578735Z",
                "feature_count": 2
              }
            ]

            """)
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.demo)) == before)
    }

    @Test func storeReferencesWorkWhereAGraphIsAccepted() throws {
        for reference in [Self.demo, Self.demo + "@latest", Self.demo + "@67e70b"] {
            let result = try Binary.run(["graph", "versions", reference, "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("\"snapshot_version\": \"67e70b838971e174c17218e421a213d96f3a1f640dac187feb552a24fe23c7db\""))
        }
        let unknown = try Binary.run(["graph", "versions", Self.demo + "@abc"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no snapshot starts with 'abc'"))
        let notAStore = try Binary.run(["store", "snapshots", Fixtures.repository.appendingPathComponent("README.md").path])
        #expect(notAStore.status == 1)
        #expect(notAStore.stderr.contains("is not a SQLite database"))
    }
}
