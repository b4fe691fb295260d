import Foundation
import MetaxyCore

/// What every command that takes a graph accepts (DESIGN §3): a graph file, a store (its latest
/// snapshot), or `STORE@SNAPSHOT` with `latest` or a unique prefix of a snapshot version.
/// The one place such a reference is taken apart.
public enum GraphReference {
    /// What a reference names: a graph file, or a store with the snapshot asked for.
    public enum Target: Equatable, Sendable {
        case file(String)
        case store(String, snapshot: String)
    }

    /// A `postgresql://` URL is a store (`URL@SNAPSHOT` after its path); a path that exists is a file or a store; else the part before the last `@`, when it is an
    /// existing file, is a store (an empty snapshot is `latest`); anything else is read as a file
    /// path, so a missing file is reported as one.
    public static func target(_ reference: String) -> Target {
        if PostgresURL.isURL(reference) {
            let (url, snapshot) = PostgresURL.splitSnapshot(reference)
            return .store(url, snapshot: snapshot.map { $0.isEmpty ? "latest" : $0 } ?? "latest")
        }
        if FileManager.default.fileExists(atPath: reference) {
            return MetaxyStore.looksLikeSQLite(reference) ? .store(reference, snapshot: "latest") : .file(reference)
        }
        if let at = reference.lastIndex(of: "@") {
            let path = String(reference[..<at]), snapshot = String(reference[reference.index(after: at)...])
            if FileManager.default.fileExists(atPath: path) { return .store(path, snapshot: snapshot.isEmpty ? "latest" : snapshot) }
        }
        return .file(reference)
    }

    /// The store a reference reads from, nil for a graph file.
    public static func store(of reference: String) -> String? {
        if case .store(let path, _) = target(reference) { return path }
        return nil
    }

    public static func load(_ reference: String) throws -> FeatureGraph {
        switch target(reference) {
        case .file(let path): try GraphLoader.load(path: path)
        case .store(let path, let snapshot): try MetaxyStore(path: path).graph(snapshot: snapshot)
        }
    }
}
