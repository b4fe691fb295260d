import Foundation
import MetaxyCore
import MetaxyStore

/// The Store screen's reads, run off the input loop, each on its own read-only connection.
public enum StoreWork {
    public static func summary(store path: String, graph: FeatureGraph) throws -> [StoreFeatureRow] {
        let store = try MetaxyStore(path: path)
        return try StoreState.featureOrder(graph).map { f in
            let counts = try store.rowCounts(graph.key(f), featureVersion: graph.featureVersion(f))
            return StoreFeatureRow(feature: f, root: graph.isRoot(f), stored: counts.stored, current: counts.current,
                                   versions: counts.versions)
        }
    }

    /// The stale sets of now through the cache (the cached ones are on screen already), all
    /// features in one status, so each table's leaves are read once; without a cache, or when it
    /// fails, one feature at a time, so the screen fills in as it goes and says which failed.
    public static func stale(store path: String, graph: FeatureGraph, features: [Int], cancel: CancelFlag,
                      post: @escaping @Sendable (Action) -> Void) -> Action {
        let opened = Result { () throws -> (MetaxyStore, HashAlgorithm) in
            let store = try MetaxyStore(path: path)
            return (store, try store.detectAlgorithm(graph))
        }
        // Through the cache, which reads only what changed since; if that fails, each feature on
        // its own, to say which failed.
        if let (store, algorithm) = try? opened.get(), let cache = StaleCacheLocation.standard() {
            let progress = WorkProgress(report: { post(.staleProgress(done: $0.done, total: $0.total ?? features.count)) },
                                        shouldStop: { cancel.isCancelled })
            do {
                let statuses = try store.status(graph: graph, algorithm: algorithm, progress: progress, cache: cache)
                let byKey = Dictionary(statuses.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
                for (i, f) in features.enumerated() {
                    if let status = byKey[graph.key(f)] { post(.staleComputed(feature: f, status, done: i + 1, total: features.count)) }
                }
                return .staleFinished(cancelled: false)
            } catch is WorkStopped {
                return .staleFinished(cancelled: true)
            } catch {}
        }
        for (i, f) in features.enumerated() {
            if cancel.isCancelled { return .staleFinished(cancelled: true) }
            do {
                let (store, algorithm) = try opened.get()
                guard let status = try store.status(graph: graph, feature: graph.key(f), algorithm: algorithm).first else { continue }
                post(.staleComputed(feature: f, status, done: i + 1, total: features.count))
            } catch {
                post(.staleFailed(feature: f, "\(error)", done: i + 1, total: features.count))
            }
        }
        return .staleFinished(cancelled: false)
    }

    /// What the store's cache holds for `graph` (nothing when there is no cache), and its age.
    public static func cachedStale(store path: String, graph: FeatureGraph) -> Action {
        guard MetaxyStore.cachesStaleSets(path), let cache = StaleCacheLocation.standard(), let store = try? MetaxyStore(path: path),
              let algorithm = try? store.detectAlgorithm(graph),
              let cached = store.cachedStatuses(graph: graph, algorithm: algorithm, cache: cache) else { return .staleCached([:], age: 0) }
        return .staleCached(cached.statuses, age: Date().timeIntervalSince(cached.taken))
    }

    public static func page(store path: String, feature: FeatureKey, after: Int64?, before: Int64?, filter: SampleFilter,
                            status: FeatureStatus?, limit: Int, offset: Int = 0, sort: SampleSort? = nil) throws -> Action {
        let store = try MetaxyStore(path: path)
        switch filter {
        case .all where sort != nil:
            return .samplesLoaded(feature: feature, try store.sortedSamplePage(feature: feature, column: sort!.column, descending: sort!.descending,
                                                             offset: offset, limit: limit), atEnd: false)
        case .all:
            let page = try before == Int64.max ? store.lastSamplePage(feature: feature, limit: limit)
                : store.samplePage(feature: feature, after: after, before: before, limit: limit)
            return .samplesLoaded(feature: feature, page, atEnd: before == Int64.max)
        case .changed, .removed:
            let uids = (filter == .changed ? status?.changed : status?.removed) ?? []
            return .samplesLoaded(feature: feature, try store.sampleRows(feature: feature, samples: Array(uids.dropFirst(offset).prefix(limit))), atEnd: false,
                                  filter: filter)
        case .added:
            // Missing here: listed by sample_uid alone, with no stored row.
            let rows = (status?.added ?? []).dropFirst(offset).prefix(limit).map {
                SamplePage.Row(rowid: 0, uid: $0, dataVersion: [], featureVersion: "", extra: [])
            }
            return .samplesLoaded(feature: feature, SamplePage(rows: Array(rows), columns: []), atEnd: false, filter: filter)
        }
    }
}
