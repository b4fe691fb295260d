import Foundation
import MetaxyCore
@testable import MetaxyStore
@testable import MetaxyTUI
import Testing
import TestSupport

/// The demo workspace tells its story: three snapshots, and a store in which the current one
/// finds samples added, changed and removed for the reasons the story gives.
@Suite(.serialized) struct DemoWorkspaceTests {
    static let samples = 2_000

    func workspace() throws -> String {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("demo").path
        try DemoWorkspace.create(at: dir, samples: Self.samples, progress: { _ in })
        return dir
    }

    func graph(_ path: String) throws -> FeatureGraph { try GraphReference.load(path) }

    @Test func threeSnapshotsTellTheStory() throws {
        let dir = try workspace()
        let files = try (1...3).map { try graph(dir + "/snapshots/" + DemoPipeline.snapshots[$0 - 1].file) }
        #expect(files.map(\.count) == [24, 24, 25])
        #expect(try graph(dir + "/pipeline.yaml").snapshotVersion == files[2].snapshotVersion)
        let store = try MetaxyStore(path: dir + "/store.db")
        #expect(try store.snapshots().map(\.version) == files.reversed().map(\.snapshotVersion), "newest first")
        // Fixed dates: every copy of the demo, and every screenshot of it, is the same.
        #expect(try store.snapshots().map { $0.recordedAt.prefix(19) } == ["2026-11-14T15:00:00", "2026-11-09T08:00:00", "2026-11-01T08:00:00"])

        // 1 → 2: the speech-to-text upgrade flows down to the training set.
        let upgrade = GraphDiff(old: files[0], new: files[1])
        let changed = Set(upgrade.features.filter { $0.status == .changed }.map(\.key))
        #expect(changed == ["audio/transcript", "audio/language", "text/captions", "text/summary", "embeddings/text",
                            "index/multimodal", "training/dataset"])
        // 2 → 3: the timestamps fix stops at media/frames; the NSFW filter is new.
        let fix = GraphDiff(old: files[1], new: files[2])
        #expect(fix.features.filter { $0.status == .changed }.map(\.key) == ["media/frames"])
        #expect(fix.features.filter { $0.status == .added }.map(\.key) == ["quality/nsfw"])
    }

    @Test func theStoreHasSamplesStaleForEveryReason() throws {
        let dir = try workspace()
        let current = try graph(dir + "/pipeline.yaml")
        let status = Dictionary(uniqueKeysWithValues: try MetaxyStore(path: dir + "/store.db").status(graph: current).map { ($0.key.string, $0) })
        let n = Self.samples
        // 1 % re-ingested, 2 % new and 0.5 % taken down reach what reads the videos directly…
        let track = try #require(status["media/audio_track"])
        #expect((track.added.count, track.changed.count, track.removed.count) == (n / 50, n / 100, n / 200))
        // …and the re-ingested frames flow on through the frames re-run at snapshot 3.
        #expect(status["media/keyframes"].map { ($0.added.count, $0.changed.count, $0.removed.count) } ?? (-1, -1, -1) == (0, n / 100, 0))
        // The model upgrade, re-run on 70 % so far.
        #expect(status["audio/transcript"]?.added.count == n * 3 / 10)
        #expect(status["audio/transcript"]?.currentRows == n * 7 / 10)
        #expect(status["audio/vad"]?.isFresh == true)
        #expect(status["media/video"]?.currentRows == n - n / 200 + n / 50)
    }

    @Test func theDiffScreenStartsWithWhatTheLatestSnapshotChanged() throws {
        let dir = try workspace()
        let store = dir + "/store.db"
        let input = try DiffLoading.load(old: store + "@latest", new: dir + "/pipeline.yaml", store: store, loader: GraphOpening.loader)
        let previous = try MetaxyStore(path: store).snapshots()[1].version
        #expect(input.oldReference == store + "@" + previous)
        #expect(input.diff.features.filter { $0.status != .unchanged }.map(\.key) == ["media/frames", "quality/nsfw"])
        #expect(input.timeline.count == 3)
    }

    @Test func theCachedWorkspaceIsMadeOnceAndRemadeWhenIncomplete() throws {
        let cache = try Fixtures.temporaryDirectory().path
        let environment = ["XDG_CACHE_HOME": cache, "HOME": "/nonexistent"]
        var steps: [String] = []
        let dir = try DemoWorkspace.prepared(environment: environment, samples: 200) { steps.append($0) }
        #expect(dir == cache + "/metaxy-tui/demo")
        #expect(steps.count == 3 && DemoWorkspace.isComplete(dir))
        steps = []
        _ = try DemoWorkspace.prepared(environment: environment, samples: 200) { steps.append($0) }
        #expect(steps.isEmpty, "made once")
        try FileManager.default.removeItem(atPath: dir + "/" + DemoWorkspace.stamp)
        _ = try DemoWorkspace.prepared(environment: environment, samples: 200) { steps.append($0) }
        #expect(steps.count == 3 && DemoWorkspace.isComplete(dir), "an interrupted first run is made again")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/metaxy-tui") == ["demo"], "nothing left beside it")
        // A first run killed half-way left its copy; the next run clears it, and spares a live one.
        let abandoned = cache + "/metaxy-tui/.demo-999999999", live = cache + "/metaxy-tui/.demo-\(getpid())"
        for dir in [abandoned, live] { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        DemoWorkspace.removeAbandoned(in: cache + "/metaxy-tui")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache + "/metaxy-tui").sorted() == [".demo-\(getpid())", "demo"])
        #expect(throws: StoreError.self) { try DemoWorkspace.cacheDirectory(environment: [:]) }
    }

    @Test func aDirectoryWithAWorkspaceIsNotOverwritten() throws {
        let dir = try workspace()
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/store.db"))
        #expect(throws: StoreError.self) { try DemoWorkspace.create(at: dir, samples: 200, progress: { _ in }) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/store.db")) == before)
    }
}

@Suite struct NumberTextTests {
    @Test func thousandsAreGroupedWhateverTheLocale() {
        #expect([0, 7, 999, 1_000, 12_345, 1_126_000, -1_234_567].map(\.grouped) == ["0", "7", "999", "1,000", "12,345", "1,126,000", "-1,234,567"])
        #expect(Int.min.grouped == "-9,223,372,036,854,775,808")
    }
}
