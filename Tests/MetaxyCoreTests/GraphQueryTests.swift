import Foundation
import MetaxyCore
import Testing
import TestSupport

@Suite struct GraphQueryTests {
    let video = try! GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/video.json").path)

    func index(_ key: String) -> Int { video.index(of: FeatureKey(string: key))! }
    func keys(_ indices: some Sequence<Int>) -> [String] { indices.map { video.key($0).string } }

    @Test func topologicalOrderIsMetaxys() throws {
        #expect(keys(video.topologicalOrder) == ["example/video", "example/crop", "example/face_detection", "example/stt"])
        // Case-insensitive key order for roots, upper case first among equals (metaxy's own output order).
        let traps = try GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/sort_order_traps.json").path)
        #expect(traps.topologicalOrder.map { traps.key($0).string } == ["A", "a", "a-b", "a-b/c", "a/b", "a/b-c", "a0", "a_b", "sink"])
    }

    @Test func closuresWithDepthLimits() {
        let face = index("example/face_detection")
        #expect(Set(keys(video.upstreamDistances(of: face).keys)) == ["example/crop", "example/video"])
        #expect(keys(video.upstreamDistances(of: face, depth: 1).keys) == ["example/crop"])
        #expect(video.upstreamDistances(of: face)[index("example/video")] == 2)
        #expect(Set(keys(video.downstreamDistances(of: index("example/video")).keys))
            == ["example/crop", "example/face_detection", "example/stt"])
        #expect(Set(keys(video.neighbourhood(of: index("example/crop"), up: 0, down: 1))) == ["example/crop", "example/face_detection"])
        #expect(video.neighbourhood(of: index("example/crop"), up: nil, down: nil).count == 3)
    }

    @Test func fieldLineageNamesWhatAChangeReachesAndWhatItCannot() {
        let audio = FieldRef(feature: index("example/video"), field: 0)
        let lineage = FieldLineage(graph: video, field: audio)
        #expect(lineage.downstreamFields.map(video.fqString) == ["example/crop.audio", "example/stt.transcription"])
        #expect(keys(lineage.affectedFeatures) == ["example/crop", "example/stt"])
        // face_detection reads crop.frames only: provably unaffected by video.audio.
        #expect(keys(lineage.unaffectedFeatures) == ["example/face_detection"])
        let faces = FieldRef(feature: index("example/face_detection"), field: 0)
        #expect(FieldLineage(graph: video, field: faces).upstreamFields.map(video.fqString) == ["example/video.frames", "example/crop.frames"])
    }

    @Test func parentsAreSortedByFQStringAndDeduplicated() throws {
        let quirks = try GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/quirks.json").path)
        let child = quirks.index(of: FeatureKey(string: "q/child"))!
        let names = quirks.specs[child].fields.indices.map { k in
            quirks.parents(of: FieldRef(feature: child, field: k)).map(quirks.fqString)
        }
        #expect(names == [[], ["q/src.a", "q/src.b", "q/src.c"], ["q/src.a"], ["q/src.a", "q/src.b", "q/src.c"]])
    }
}

@Suite struct ParentOrderTests {
    /// Parents from different features sort by their full `feature.field` names, with or without
    /// keys that continue another key with "." (which take the slow, exact comparison).
    @Test(arguments: [["p", "p-q", "p.z", "q"], ["p", "p-q", "pz", "q"]])
    func parentsFollowFQStringOrder(keys: [String]) throws {
        let upstream = keys.map { "  - {key: \"\($0)\", fields: [x, a-b, a/c]}\n" }.joined()
        let text = "features:\n" + upstream + "  - {key: child, deps: [" + keys.map { "\"\($0)\"" }.joined(separator: ", ") + "], fields: [all]}\n"
        let graph = try Fixtures.graph(text)
        let parents = graph.parents(of: FieldRef(feature: keys.count, field: 0)).map(graph.fqString)
        #expect(parents == parents.sorted(by: codePointLess))
        #expect(parents.count == keys.count * 3)
    }
}
