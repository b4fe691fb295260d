import Foundation

/// What a project's live graph is made from, to notice that it changed: its Python files and its
/// config, under the project's root (not virtualenvs, caches or hidden folders).
public enum ProjectFiles {
    static let skipped: Set<String> = ["__pycache__", "node_modules", "site-packages", "venv", "build", "dist"]

    /// A summary that changes when a file is added, removed, rewritten or touched.
    public static func stamp(_ root: String) -> String {
        var count = 0, size = 0
        var latest = 0.0, total = 0.0
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isDirectoryKey]
        let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: root), includingPropertiesForKeys: keys,
                                                    options: [.skipsHiddenFiles, .skipsPackageDescendants])
        while let url = walker?.nextObject() as? URL {
            let values = try? url.resourceValues(forKeys: Set(keys))
            if values?.isDirectory == true {
                if skipped.contains(url.lastPathComponent) { walker?.skipDescendants() }
                continue
            }
            let name = url.lastPathComponent
            guard name.hasSuffix(".py") || name == "metaxy.toml" || name == "pyproject.toml" else { continue }
            let modified = values?.contentModificationDate?.timeIntervalSince1970 ?? 0
            count += 1
            size += values?.fileSize ?? 0
            latest = max(latest, modified)
            total += modified
        }
        return "\(count) \(size) \(latest) \(total)"
    }
}
