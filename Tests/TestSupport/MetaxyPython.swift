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

/// A virtualenv with metaxy 0.1.11, today's release (`.build/metaxy01-venv`, git-ignored), for
/// the tests that export a 0.1.x project's live graph with its own Python. It does not see the
/// interpreter's packages: those hold metaxy 0.0.0.
public enum MetaxyPythonToday {
    public static let venv = Fixtures.repository.appendingPathComponent(".build/metaxy01-venv")

    public static let interpreter: Result<String, MetaxyPythonError> = {
        let python = venv.appendingPathComponent("bin/python")
        do {
            if !FileManager.default.isExecutableFile(atPath: python.path) {
                let made = try Binary.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "python3 -m venv '\(venv.path)'"])
                guard made.status == 0 else { return .failure(MetaxyPythonError(description: "python3 -m venv failed: \(made.stderr)")) }
            }
            if try Binary.run(python, ["-c", "import metaxy, sys; sys.exit(metaxy.__version__ != '0.1.11')"]).status != 0 {
                let installed = try Binary.run(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "metaxy[postgres]==0.1.11"])
                guard installed.status == 0 else { return .failure(MetaxyPythonError(description: "pip install metaxy failed: \(installed.stderr)")) }
            }
            return .success(python.path)
        } catch {
            return .failure(MetaxyPythonError(description: "\(error)"))
        }
    }()
}
