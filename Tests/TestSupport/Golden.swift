import Foundation

/// Golden files: compared byte for byte; `UPDATE_GOLDENS=1` rewrites them, and a mismatch leaves
/// the actual output beside the golden as `<name>.actual` for a diff.
public enum Golden {
    public static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" }

    /// nil when `actual` matches the golden at `url`; otherwise a message naming both files.
    public static func mismatch(_ actual: String, golden url: URL) -> String? {
        let actualURL = url.appendingPathExtension("actual")
        if updating {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(at: actualURL)
            return nil
        }
        let expected = try? String(contentsOf: url, encoding: .utf8)
        if expected == actual {
            try? FileManager.default.removeItem(at: actualURL)
            return nil
        }
        try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
        return expected == nil
            ? "no golden at \(url.path); run with UPDATE_GOLDENS=1 to create it"
            : "output differs from \(url.path); see \(actualURL.path)"
    }
}
