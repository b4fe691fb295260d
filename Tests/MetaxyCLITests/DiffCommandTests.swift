import Foundation
import TestSupport
import Testing
import Yams

/// `metaxy-tui graph diff OLD NEW` in each format.
@Suite struct DiffCommandTests {
    static let graphs = Fixtures.vectors.appendingPathComponent("graphs")
    static let old = graphs.appendingPathComponent("video.json").path
    static let new = graphs.appendingPathComponent("video_audio_v2.json").path

    @Test func jsonIsTheContractWithCauses() throws {
        let result = try Binary.run(["graph", "diff", Self.old, Self.new, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, golden: CLIGoldens.own("video-audio-v2.diff.json")) == nil)
    }

    @Test func textHasGlyphsAndNoEscapesWhenPiped() throws {
        let result = try Binary.run(["graph", "diff", Self.old, Self.new])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}"))
        #expect(!result.stdout.contains("[yellow]"), "never markup tags")
        #expect(result.stdout.hasPrefix("8468950d → 980943fb: 3 changed, 0 added, 0 removed, 1 unchanged\n"))
        #expect(result.stdout.contains("~ example/crop (changed)  3ac04df8 → 54dc7f8a\n    ~ audio  76c8bdc9 → f3130c0f\n"))
        #expect(result.stdout.contains("because example/video.audio: code_version 1 → 2 (via example/video.audio → example/crop.audio)"))
        let changed = try Binary.run(["graph", "diff", Self.old, Self.new, "--changed-only"])
        #expect(!changed.stdout.contains("face_detection"))
        #expect(!changed.stdout.contains("frames"))
    }

    @Test func oneCauseLeftOutIsSingular() throws {
        let dir = try Fixtures.temporaryDirectory()
        let old = dir.appendingPathComponent("old.yaml"), new = dir.appendingPathComponent("new.yaml")
        let fields = (1...6).map { "x\($0)" }
        try "features:\n  - key: a\n    fields: [\(fields.joined(separator: ", "))]\n  - key: b\n    deps: [a]\n    fields: [y]\n"
            .write(to: old, atomically: true, encoding: .utf8)
        try ("features:\n  - key: a\n    fields: [" + fields.map { "{key: \($0), code_version: 2}" }.joined(separator: ", ")
            + "]\n  - key: b\n    deps: [a]\n    fields: [y]\n").write(to: new, atomically: true, encoding: .utf8)
        let result = try Binary.run(["graph", "diff", old.path, new.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("because a.x5: code_version 1 → 2 (via a.x5 → b.y)\n        and 1 more cause (--format json"))
    }

    @Test func yamlHoldsTheSameDataAsJSON() throws {
        let yaml = try Binary.run(["graph", "diff", Self.old, Self.new, "--format", "yaml"])
        let json = try Binary.run(["graph", "diff", Self.old, Self.new, "--format", "json"])
        #expect(yaml.status == 0)
        let fromYAML = try #require(try Yams.load(yaml: yaml.stdout) as? [String: Any])
        let fromJSON = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(try JSONSerialization.data(withJSONObject: fromYAML, options: .sortedKeys)
            == JSONSerialization.data(withJSONObject: fromJSON, options: .sortedKeys))
    }

    @Test func drawingsAreDeterministic() throws {
        for format in ["mermaid", "dot"] {
            let first = try Binary.run(["graph", "diff", Self.old, Self.new, "--format", format])
            #expect(first.status == 0)
            #expect(try Binary.run(["graph", "diff", Self.old, Self.new, "--format", format]).stdout == first.stdout)
            #expect(Golden.mismatch(first.stdout, golden: CLIGoldens.own("video-audio-v2.diff.\(format)")) == nil)
        }
    }

    @Test func aStoreSnapshotAgainstAFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("s.db").path
        #expect(try Binary.run(["store", "push", store, "--graph", Self.old]).status == 0)
        let result = try Binary.run(["graph", "diff", store + "@latest", Self.new, "--format", "json", "--changed-only"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"from_snapshot_version\": \"8468950d"))
        let none = try Binary.run(["graph", "diff", store, Self.old, "--changed-only", "--format", "json"])
        #expect(none.stdout.contains("\"features\": []"))
    }

    @Test func aBadReferenceNamesIt() throws {
        let result = try Binary.run(["graph", "diff", Self.old, "/nonexistent/new.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/new.yaml"))
        #expect(result.stdout.isEmpty)
    }
}
