import Foundation

/// The themes a user can pick: `*.yaml` files in a list of folders, the first folder that has
/// a name winning (so a user's folder can replace a bundled theme).
public struct ThemeCatalog: Sendable {
    public let directories: [URL]
    public let defaultName: String

    public init(directories: [URL], defaultName: String = "dark") {
        self.directories = directories
        self.defaultName = defaultName
    }

    /// Every theme name found, sorted, the monochrome theme always among them.
    public func names() -> [String] {
        var names: Set<String> = [Theme.monochrome.name]
        for dir in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            for f in files where f.hasSuffix(".yaml") || f.hasSuffix(".yml") {
                names.insert(URL(fileURLWithPath: f).deletingPathExtension().lastPathComponent)
            }
        }
        return names.sorted()
    }

    /// The theme called `name`, or the default theme and a message saying what went wrong.
    public func load(_ name: String) -> (theme: Theme, problem: String?) {
        let base: Theme
        var problem: String?
        // The default theme starts from plain cells; without it, monochrome keeps state visible.
        switch loadFile(defaultName, base: Theme(name: "plain", styles: [:]), depth: 0) {
        case .success(let theme): base = theme
        case .failure(let error): base = Theme.monochrome; problem = error.description
        }
        if name == defaultName { return (base, problem) }
        if name == Theme.monochrome.name, file(for: name) == nil { return (Theme.monochrome, nil) }
        switch loadFile(name, base: base, depth: 0) {
        case .success(let theme): return (theme, problem)
        case .failure(let error): return (base, "\(error.description); using the \(base.name) theme")
        }
    }

    private func file(for name: String) -> URL? {
        for dir in directories {
            for ext in ["yaml", "yml"] {
                let url = dir.appendingPathComponent("\(name).\(ext)")
                if FileManager.default.fileExists(atPath: url.path) { return url }
            }
        }
        return nil
    }

    private func loadFile(_ name: String, base: Theme, depth: Int) -> Result<Theme, ThemeError> {
        guard let url = file(for: name) else {
            let searched = directories.map(\.path).joined(separator: ", ")
            return .failure(ThemeError(file: "\(name).yaml", message: "no such theme in \(searched); themes: \(names().joined(separator: ", "))"))
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return .failure(ThemeError(file: url.path, message: "cannot be read as UTF-8 text"))
        }
        return Result { () throws(ThemeError) in
            try ThemeFile.parse(text, file: url.path, base: base) { parent in
                guard depth < 8, case .success(let theme) = loadFile(parent, base: base, depth: depth + 1) else { return nil }
                return theme
            }
        }
    }
}
