import Foundation
import MetaxyCore
import MetaxyStore

/// The slow part of the Diff screen, run off the input loop: both graphs, their diff, and with a
/// store the samples each change affects and every snapshot's graph for the timelines.
enum DiffLoading {
    static func load(old: String, new: String, store: String?) throws -> DiffInput {
        var old = old, oldGraph = try GraphReference.load(old)
        let newGraph = try GraphReference.load(new)
        var timeline: [(snapshot: Snapshot, graph: FeatureGraph)] = []
        let opened = store.flatMap { try? MetaxyStore(path: $0) }
        if let opened {
            for snapshot in ((try? opened.snapshots()) ?? []).reversed() {
                if let graph = try? opened.graph(snapshot: snapshot.version) { timeline.append((snapshot, graph)) }
            }
            // A graph file that is the latest snapshot would show no change at all: the snapshot
            // before it says what the latest one changed.
            if old.hasSuffix("@latest"), oldGraph.snapshotVersion == newGraph.snapshotVersion, timeline.count >= 2 {
                let previous = timeline[timeline.count - 2]
                old = String(old.dropLast("latest".count)) + previous.snapshot.version
                oldGraph = previous.graph
            }
        }
        let diff = GraphDiff(old: oldGraph, new: newGraph)
        var impact: [String: Int]?
        if let opened {
            impact = [:]
            for f in diff.features where f.status == .changed || f.status == .removed {
                guard let version = f.oldVersion else { continue }
                impact?[f.key] = (try? opened.rowCounts(FeatureKey(string: f.key), featureVersion: version).current) ?? 0
            }
        }
        return DiffInput(diff: diff, oldReference: old, newReference: new, oldLabel: label(old, oldGraph),
                         newLabel: label(new, newGraph), impact: impact, timeline: timeline)
    }

    /// `video.yaml@8468950d`: the file's name and the snapshot it amounts to.
    static func label(_ reference: String, _ graph: FeatureGraph) -> String {
        let path = GraphReference.store(of: reference) ?? reference
        return URL(fileURLWithPath: path).lastPathComponent + "@" + graph.snapshotVersion.prefix(8)
    }

    /// `2026-11-28 02:18:55 UTC`: to the second, which is what a person compares.
    static func when(_ snapshot: Snapshot) -> String {
        snapshot.recordedAt.prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// The graph file, then the store's snapshots, newest first.
    static func choices(_ source: GraphSource) throws -> [SidePicker.Choice] {
        var choices: [SidePicker.Choice] = []
        if let file = source.watchedPath {
            choices.append(SidePicker.Choice(label: "graph file", detail: URL(fileURLWithPath: file).lastPathComponent, reference: file))
        }
        if let store = source.store {
            for snapshot in try MetaxyStore(path: store).snapshots() {
                choices.append(SidePicker.Choice(label: String(snapshot.version.prefix(12)),
                                                 detail: "recorded \(when(snapshot)) · \(snapshot.featureCount) features",
                                                 reference: "\(store)@\(snapshot.version)"))
            }
        }
        return choices
    }
}
