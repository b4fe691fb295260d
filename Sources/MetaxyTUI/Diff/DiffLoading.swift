import Foundation
import MetaxyCore
import MetaxyStore

/// The slow part of the Diff screen, run off the input loop: both graphs, their diff, and with a
/// store the samples each change affects and every snapshot's graph for the timelines.
enum DiffLoading {
    static func load(old requested: String, new: String, store: String?, loader: (String) throws -> FeatureGraph) throws -> DiffInput {
        var old = requested, oldGraph = try loader(old)
        let newGraph = try loader(new)
        var timeline: [(snapshot: Snapshot, graph: FeatureGraph)] = []
        var opened: MetaxyStore?
        // What the store could not tell is said on the screen, never shown as a made-up count.
        var problem: String?
        if let store {
            do {
                let s = try MetaxyStore(path: store)
                opened = s
                for snapshot in try s.snapshots().reversed() { timeline.append((snapshot, try s.graph(of: snapshot))) }
            } catch {
                problem = "\(error)"
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
        if let opened, problem == nil {
            do {
                var counts: [String: Int] = [:]
                for f in diff.features where f.status == .changed || f.status == .removed {
                    guard let version = f.oldVersion else { continue }
                    counts[f.key] = try opened.rowCounts(FeatureKey(string: f.key), featureVersion: version).current
                }
                impact = counts
            } catch {
                problem = "\(error)"
            }
        }
        return DiffInput(diff: diff, requestedOld: requested, oldReference: old, newReference: new, oldLabel: label(old, oldGraph),
                         newLabel: label(new, newGraph), impact: impact, impactProblem: problem, timeline: timeline)
    }

    /// `video.yaml@8468950d`: the file's name and the snapshot it amounts to.
    static func label(_ reference: String, _ graph: FeatureGraph) -> String {
        let path = GraphReference.store(of: reference) ?? reference
        return MetaxyStore.displayName(path) + "@" + graph.snapshotVersion.prefix(8)
    }

    /// `2026-11-28 02:18:55 UTC`: to the second, which is what a person compares.
    static func when(_ snapshot: Snapshot) -> String {
        snapshot.recordedAt.prefix(19).replacingOccurrences(of: "T", with: " ") + " UTC"
    }

    /// The graph file (the graph open now), then the store's snapshots, newest first, each with
    /// its position in the store's history.
    static func choices(_ source: GraphSource, graph: FeatureGraph) throws -> [SidePicker.Choice] {
        var choices: [SidePicker.Choice] = []
        if let file = source.watchedPath {
            choices.append(SidePicker.Choice(label: "graph file " + URL(fileURLWithPath: file).lastPathComponent,
                                             detail: "\(graph.snapshotVersion.prefix(8)) · \(counted(graph.count, "feature")) · as open now",
                                             reference: file, version: graph.snapshotVersion))
        }
        if let store = source.store {
            let snapshots = try MetaxyStore(path: store).snapshots()
            for (i, snapshot) in snapshots.enumerated() {
                choices.append(SidePicker.Choice(label: "snapshot \(snapshots.count - i) of \(snapshots.count)",
                                                 detail: "\(snapshot.version.prefix(8)) · \(counted(snapshot.featureCount, "feature")) · \(when(snapshot))",
                                                 reference: "\(store)@\(snapshot.version)", version: snapshot.version))
            }
        }
        return choices
    }
}
