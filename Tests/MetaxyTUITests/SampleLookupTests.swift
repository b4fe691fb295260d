import Foundation
import MetaxyCore
@testable import MetaxyStore
@testable import MetaxyTUI
import Testing
import TestSupport

/// `store lookup` on the demo workspace (2,000 videos): videos 1–20 re-ingested, 1,001–1,010
/// taken down, 2,001–2,040 new; each followed through all 25 features.
@Suite(.serialized) struct SampleLookupTests {
    static let workspace: Result<String, Error> = Result {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("demo").path
        try DemoWorkspace.create(at: dir, samples: 2_000, progress: { _ in })
        return dir
    }

    func lookup(_ uid: Int64) throws -> SampleLookup {
        let dir = try Self.workspace.get()
        return try MetaxyStore(path: dir + "/store.db").lookup(sample: .int(uid), graph: GraphReference.load(dir + "/pipeline.yaml"))
    }

    /// Feature → state, for the features not in `rest`'s state.
    func states(_ lookup: SampleLookup, rest: SampleLookup.State, _ others: [String: SampleLookup.State]) -> Bool {
        lookup.features.allSatisfy { ($0.state == (others[$0.key.string] ?? rest)) }
    }

    @Test func aReingestedVideoIsStaleWhereItsNewContentIsRead() throws {
        let l = try lookup(1)
        // Read directly from the new audio, and through the frames re-run at snapshot 3.
        #expect(states(l, rest: .added, [
            "media/video": .fresh, "media/audio_track": .changed, "audio/vad": .fresh, "audio/transcript": .fresh,
            "audio/language": .fresh, "media/frames": .fresh, "media/keyframes": .changed, "vision/detections": .fresh,
            "vision/crops": .fresh, "quality/nsfw": .fresh, "vision/face_crops": .missing, "embeddings/face": .missing,
            "embeddings/text": .missing, "index/multimodal": .missing, "training/dataset": .missing,
        ]), "\(l.text)")
        let first = try #require(l.firstStale)
        #expect(first.key.string == "media/audio_track")
        let video = try #require(l.features.first { $0.key.string == "media/video" }?.dataVersion)
        let audio = try #require(video.first { $0.0 == "audio" }?.1)
        // The video row was replaced, so its earlier value is gone: the cause is the field it reads, now.
        #expect(first.causes.map { [$0.field, $0.upstream, $0.stored, $0.expected] } == [["waveform", "media/video/audio", nil, audio]])
        #expect(Set(l.features.flatMap { $0.causes.compactMap(\.upstreamFeature) }) == [FeatureKey(string: "media/video"), FeatureKey(string: "media/frames")])
        let keyframes = try #require(l.features.first { $0.key.string == "media/keyframes" })
        #expect(keyframes.causes.map(\.upstream) == ["media/frames/frames"])
        #expect(keyframes.causes.allSatisfy { $0.stored != nil && $0.stored != $0.expected }, "frames rewritten: both values known")
        #expect(l.features.first { $0.key.string == "audio/transcript" }.map { ($0.rows, $0.featureVersions.count) } ?? (0, 0) == (2, 2))
    }

    @Test func aNewVideoIsAddedWhereItsUpstreamsHaveIt() throws {
        let l = try lookup(2_001)
        #expect(states(l, rest: .missing, ["media/video": .fresh, "media/audio_track": .added, "media/frames": .added]), "\(l.text)")
        #expect(l.features.allSatisfy { $0.causes.isEmpty && ($0.key.string == "media/video") == ($0.rows == 1) })
    }

    @Test func aTakenDownVideoIsRemovedWhereItIsStoredDownstream() throws {
        let l = try lookup(1_001)
        #expect(states(l, rest: .added, [
            "media/video": .missing, "media/audio_track": .removed, "audio/vad": .fresh, "audio/transcript": .fresh,
            "media/frames": .missing, "media/keyframes": .fresh, "vision/detections": .fresh,
            "vision/face_crops": .missing, "embeddings/face": .missing, "embeddings/clip_image": .missing,
            "text/summary": .missing, "embeddings/text": .missing, "index/multimodal": .missing, "training/dataset": .missing,
            "quality/nsfw": .missing,
        ]), "\(l.text)")
        #expect(l.features.first { $0.key.string == "media/video" }?.rows == 0)
    }

    @Test func anUntouchedVideoIsFreshWhereItWasProcessed() throws {
        let l = try lookup(1_200)
        #expect(states(l, rest: .added, [
            "media/video": .fresh, "media/audio_track": .fresh, "audio/vad": .fresh, "audio/transcript": .fresh,
            "media/keyframes": .fresh, "vision/detections": .fresh,
            "vision/face_crops": .missing, "embeddings/face": .missing, "embeddings/clip_image": .missing,
            "text/summary": .missing, "embeddings/text": .missing, "index/multimodal": .missing, "training/dataset": .missing,
            "quality/nsfw": .missing,
        ]), "\(l.text)")
        #expect(l.firstStale?.state == .added && l.features.allSatisfy(\.causes.isEmpty))
    }

    /// A lookup is one sample's stale set: it agrees with `store status` in every feature.
    @Test func everyStateAgreesWithTheStaleSets() throws {
        let dir = try Self.workspace.get()
        let store = try MetaxyStore(path: dir + "/store.db"), graph = try GraphReference.load(dir + "/pipeline.yaml")
        let statuses = Dictionary(uniqueKeysWithValues: try store.status(graph: graph).map { ($0.key, $0) })
        for uid: Int64 in [1, 7, 20, 21, 500, 650, 801, 1_005, 1_010, 1_011, 1_399, 1_401, 2_000, 2_001, 2_040, 2_041, 99_999] {
            for f in try store.lookup(sample: .int(uid), graph: graph).features {
                let status = try #require(statuses[f.key]), sample = SampleUID.int(uid)
                let expected: SampleLookup.State = status.root ? (f.why.storedAtCurrentVersion ? .fresh : .missing)
                    : status.changed.contains(sample) ? .changed : status.added.contains(sample) ? .added
                    : status.removed.contains(sample) ? .removed : f.why.storedAtCurrentVersion ? .fresh : .missing
                #expect(f.state == expected, "sample \(uid) in \(f.key)")
            }
        }
    }

    @Test func aSampleStoredNowhereSaysSo() throws {
        let l = try lookup(99_999)
        #expect(l.storedNowhere && l.features.allSatisfy { $0.state == .missing && $0.rows == 0 })
        #expect(l.text.contains("no feature stores sample_uid 99999: check the id"))
        #expect(try !lookup(1).storedNowhere)
    }

    @Test func theJSONFollowsTheContract() throws {
        let dir = try Self.workspace.get()
        let result = try Binary.run(["store", "lookup", dir + "/store.db", "1", "--graph", dir + "/pipeline.yaml", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(JSONValue.parse(Array(result.stdout.utf8)))
        #expect(json["sample_uid"] == .int(1))
        guard case .array(let features)? = json["features"] else { Issue.record("no features"); return }
        #expect(features.count == 25)
        #expect(features.allSatisfy { f in
            guard case .object(let pairs) = f else { return false }
            return pairs.map(\.0) == ["key", "state", "rows", "feature_versions", "data_version", "expected", "causes"]
        })
        let firstStale = features.first { $0["state"] != .string("fresh") && $0["state"] != .string("missing") }
        #expect(firstStale?["key"] == .string("media/audio_track"))
        #expect(firstStale?["causes"] == .array([.object([("field", .string("waveform")), ("upstream", .string("media/video/audio")),
                                                          ("stored", .null), ("expected", features[0]["data_version"]?["audio"] ?? .null)])]))
        let missing = try Binary.run(["store", "lookup", dir + "/store.db", "1", "--graph", dir + "/nope.yaml"])
        #expect(missing.status == 1 && missing.stderr.contains("nope.yaml"))
    }
}
