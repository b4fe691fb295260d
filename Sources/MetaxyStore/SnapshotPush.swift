import Foundation
import MetaxyCore

extension MetaxyStore {
    /// Records the graph as a snapshot (metaxy's `record_feature_graph_snapshot`): one row per
    /// feature, sorted by key, in one transaction; nothing when the snapshot is already recorded.
    /// Returns the snapshot version and whether it was already there. `recordedAt` is now but
    /// for a workspace made up after the fact, such as the demo's history.
    @discardableResult
    public func push(_ graph: FeatureGraph, recordedAt: Date? = nil) throws -> (version: String, alreadyRecorded: Bool) {
        try refuseProjectGraph(graph)
        try backend.checkTableNames(graph)
        let rows = (0..<graph.count).sorted(by: { codePointLess(graph.key($0).string, graph.key($1).string) }).map { f in
            [graph.key(f).string, graph.featureVersion(f), Self.timestamp(recordedAt ?? Date()), graph.specs[f].jsonValue.pythonDumps(),
             "metaxy_tui." + graph.key(f).tableName, graph.snapshotVersion]
        }
        return (graph.snapshotVersion, try !backend.recordSnapshot(rows, version: graph.snapshotVersion))
    }

    /// Now in UTC as metaxy stores it: `YYYY-MM-DDTHH:MM:SS.ffffff`, no zone.
    static func timestamp(_ date: Date = Date()) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(micros % 1_000_000))
    }
}
