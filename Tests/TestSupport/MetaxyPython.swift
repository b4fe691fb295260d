import Foundation

/// A virtualenv with the real metaxy 0.0.0, made once for the tests that run a project's own
/// Python (`.build/metaxy-venv`, git-ignored): it sees the interpreter's packages, and metaxy is
/// installed into it when the interpreter has none.
public enum MetaxyPython {
    public static let venv = Fixtures.repository.appendingPathComponent(".build/metaxy-venv")

    /// The venv's python, made (and metaxy installed) on first use; a failure says what went wrong.
    public static let interpreter: Result<String, MetaxyPythonError> = {
        let python = venv.appendingPathComponent("bin/python")
        let shell = URL(fileURLWithPath: "/bin/sh")
        do {
            if !FileManager.default.isExecutableFile(atPath: python.path) {
                let made = try Binary.run(shell, ["-c", "python3 -m venv --system-site-packages '\(venv.path)'"])
                guard made.status == 0 else { return .failure(MetaxyPythonError(description: "python3 -m venv failed: \(made.stderr)")) }
            }
            if try Binary.run(python, ["-c", "import metaxy, ibis"]).status != 0 {
                let installed = try Binary.run(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "metaxy==0.0.0",
                                                        "ibis-framework[sqlite]", "sqlglot==27.29.0", "pyarrow"])
                guard installed.status == 0 else { return .failure(MetaxyPythonError(description: "pip install metaxy failed: \(installed.stderr)")) }
            }
            return .success(python.path)
        } catch {
            return .failure(MetaxyPythonError(description: "\(error)"))
        }
    }()
}

public struct MetaxyPythonError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
