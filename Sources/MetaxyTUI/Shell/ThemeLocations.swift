import Foundation
import TerminalKit

/// Where themes are looked for: the user's folder first, so it can replace a bundled theme,
/// then the bundled `Themes/` (installed beside the binary, or the source tree it was built from).
public enum ThemeLocations {
    public static func catalog(environment: [String: String] = ProcessInfo.processInfo.environment) -> ThemeCatalog {
        ThemeCatalog(directories: [userDirectory(environment)] + bundledDirectories(), defaultName: "dark")
    }

    static func userDirectory(_ environment: [String: String]) -> URL {
        let config = environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return config.appendingPathComponent("metaxy-tui/themes")
    }

    static func bundledDirectories() -> [URL] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let sourceTree = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Themes").standardized
        let candidates = [executable.appendingPathComponent("../share/metaxy-tui/themes").standardized,
                          executable.appendingPathComponent("Themes"), sourceTree]
        return candidates.filter { FileManager.default.fileExists(atPath: $0.path) }
    }
}
