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

    @Test func withoutArgumentsTheBundledExampleOpens() throws {
        let result = try Binary.run([])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("snapshot "))
        #expect(result.stdout.split(separator: "\n").first?.hasSuffix(" 8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d") == true)
    }
}

enum CLIGoldens {
    static let directory = Fixtures.repository.appendingPathComponent("Tests/MetaxyCLITests/Goldens")
    /// Written by metaxy 0.0.0 itself (Scripts/oracle/render_goldens.py); never regenerated here.
    static func metaxy(_ name: String) -> URL { directory.appendingPathComponent("metaxy/" + name) }
    /// metaxy-tui's own formats; `UPDATE_GOLDENS=1` rewrites them.
    static func own(_ name: String) -> URL { directory.appendingPathComponent("own/" + name) }
}
