import Foundation
@testable import MetaxyCore
import TestSupport
import Testing

@Suite struct GraphDiffTests {
    static func load(_ url: URL) throws -> FeatureGraph { try GraphLoader.load(path: url.path) }
    static let diffs = Fixtures.repository.appendingPathComponent("Tests/Fixtures/diffs")
    static let pairs = ["code_version_bump", "added_field", "removed_dep", "added_and_removed_feature", "metaxy_example"]

    func vectorDiff() throws -> GraphDiff {
        let graphs = Fixtures.vectors.appendingPathComponent("graphs")
        return GraphDiff(old: try Self.load(graphs.appendingPathComponent("video.json")),
                         new: try Self.load(graphs.appendingPathComponent("video_audio_v2.json")))
    }

    @Test func audioCodeVersionBumpChangesOnlyTheAudioChain() throws {
        let diff = try vectorDiff()
        #expect(diff.features.map(\.key) == ["example/crop", "example/face_detection", "example/stt", "example/video"])
        #expect(diff.features.map(\.status) == [.changed, .unchanged, .changed, .changed])
        let changedFields = diff.features.flatMap { f in f.fields.filter { $0.status == .changed }.map { f.key + "." + $0.key } }
        #expect(changedFields == ["example/crop.audio", "example/stt.transcription", "example/video.audio"])
        for f in diff.features { for field in f.fields where field.status == .changed {
            let causes = diff.causes(f, field)
            #expect(causes.map(\.field) == ["example/video.audio"])
            #expect(causes.first?.reason == "code_version 1 → 2")
            #expect(causes.first?.via == (f.key == "example/video" ? nil : "example/video.audio"))
            #expect(diff.chain(causes[0], f, field) == (f.key == "example/video" ? ["example/video.audio"] : ["example/video.audio", f.key + "." + field.key]))
        } }
        #expect(diff.summary == "3 changed, 0 added, 0 removed, 1 unchanged")
        let json = diff.json().pretty() + "\n"
        let golden = Fixtures.repository.appendingPathComponent("Tests/MetaxyCLITests/Goldens/own/video-audio-v2.diff.json")
        #expect(Golden.mismatch(json, golden: golden) == nil)
    }

    @Test(arguments: pairs)
    func statusesAndVersionsMatchMetaxy(pair: String) throws {
        let old = try Self.load(Self.diffs.appendingPathComponent("\(pair).old.json"))
        let new = try Self.load(Self.diffs.appendingPathComponent("\(pair).new.json"))
        let expected = try #require(Fixtures.json(Self.diffs.appendingPathComponent("\(pair).expected.json")) as? [String: Any])
        let diff = GraphDiff(old: old, new: new)

        #expect(old.snapshotVersion == expected["from_snapshot_version"] as? String)
        #expect(new.snapshotVersion == expected["to_snapshot_version"] as? String)
        #expect(try canonical(versions(old)) == canonical(expected["old_versions"]!))
        #expect(try canonical(versions(new)) == canonical(expected["new_versions"]!))

        #expect(diff.features.filter { $0.status == .added }.map(\.key) == expected["added"] as? [String])
        #expect(diff.features.filter { $0.status == .removed }.map(\.key) == expected["removed"] as? [String])
        let changed = try #require(expected["changed"] as? [[String: Any]])
        let ours = diff.features.filter { $0.status == .changed }
        #expect(ours.map(\.key) == changed.map { $0["key"] as? String })
        for (f, e) in zip(ours, changed) {
            #expect(f.oldVersion == e["old_version"] as? String && f.newVersion == e["new_version"] as? String)
            let fields = (e["fields"] as? [[String: Any]] ?? []).map {
                "\($0["key"]!) \($0["status"]!) \($0["old_version"] as? String ?? "null") \($0["new_version"] as? String ?? "null")"
            }
            #expect(f.fields.filter { $0.status != .unchanged }.map { "\($0.key) \($0.status.rawValue) \($0.oldVersion ?? "null") \($0.newVersion ?? "null")" } == fields)
        }
        // The merged mermaid drawing has metaxy's lines, in a fixed order instead of set order.
        let lines = diff.mermaid().split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.sorted()
        #expect(lines == expected["mermaid_lines"] as? [String])
    }

    /// `{KEY: {"feature_version": V, "fields": {FIELD: V}}}`, as the oracle writes it.
    func versions(_ graph: FeatureGraph) -> [String: Any] {
        var out: [String: Any] = [:]
        for f in 0..<graph.count {
            var fields: [String: String] = [:]
            for (i, field) in graph.specs[f].fields.enumerated() { fields[field.key.string] = graph.fieldVersion(f, i) }
            out[graph.key(f).string] = ["feature_version": graph.featureVersion(f), "fields": fields]
        }
        return out
    }

    func canonical(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) }

    @Test func causesNameTheFieldWhoseDefinitionChanged() throws {
        func diff(_ pair: String) throws -> GraphDiff {
            GraphDiff(old: try Self.load(Self.diffs.appendingPathComponent("\(pair).old.json")),
                      new: try Self.load(Self.diffs.appendingPathComponent("\(pair).new.json")))
        }
        func causes(_ d: GraphDiff, _ feature: String, _ field: String) -> [GraphDiff.Cause] {
            guard let f = d.features.first(where: { $0.key == feature }), let k = f.fields.first(where: { $0.key == field }) else { return [] }
            return d.causes(f, k)
        }
        let bump = try diff("code_version_bump")
        #expect(causes(bump, "example/face_detection", "faces")
            == [GraphDiff.Cause(field: "example/crop.frames", reason: "code_version 1 → 2", via: "example/crop.frames")])
        let removed = try diff("removed_dep")
        #expect(causes(removed, "example/stt", "transcription")
            == [GraphDiff.Cause(field: "example/stt.transcription", reason: "deps −example/video.frames", via: nil)])
        let added = try diff("added_field")
        let mask = try #require(added.features.first { $0.key == "example/crop" }?.fields.first { $0.key == "mask" })
        #expect(mask.status == .added && mask.oldVersion == nil)
        #expect(added.causes(added.features.first { $0.key == "example/crop" }!, mask).isEmpty)
        let example = try diff("metaxy_example")
        #expect(example.features.first { $0.key == "example/stt" }?.fields.map(\.status) == [.removed])
        #expect(example.features.first { $0.key == "example/thumb" }?.fields.map(\.status) == [.added])
    }

    @Test func changedOnlyDropsUnchangedFeaturesAndFields() throws {
        let diff = try vectorDiff()
        let shown = diff.shown(changedOnly: true)
        #expect(shown.map(\.key) == ["example/crop", "example/stt", "example/video"])
        #expect(shown.flatMap(\.fields).map(\.key) == ["audio", "transcription", "audio"])
    }

    @Test func identicalGraphsHaveNoChanges() throws {
        let graph = try Self.load(Fixtures.vectors.appendingPathComponent("graphs/multi_upstream.json"))
        let diff = GraphDiff(old: graph, new: graph)
        #expect(diff.count(.unchanged) == graph.count)
        #expect(diff.features.allSatisfy { f in f.fields.allSatisfy { $0.status == .unchanged && diff.causes(f, $0).isEmpty } })
    }
}
