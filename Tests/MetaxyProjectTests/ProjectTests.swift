import Foundation
@testable import MetaxyProject
import TestSupport
import Testing

/// Which Python, which project, and what a broken config file says.
@Suite struct ProjectTests {
    func tree(_ files: [String: String]) throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func theInterpreterIsTheOneAskedForThenTheVirtualenvThenTheProjectsThenPython3() throws {
        let dir = try tree(["metaxy.toml": "[stores.dev]\ntype = \"x\"\n", "sub/.keep": ""])
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try ProjectConfig.load(workingDirectory: dir.appendingPathComponent("sub").path, environment: [:])
        #expect(LiveGraph.interpreter(explicit: "/opt/py", config: config, environment: ["VIRTUAL_ENV": "/venv"]) == "/opt/py")
        #expect(LiveGraph.interpreter(explicit: nil, config: config, environment: ["VIRTUAL_ENV": "/venv"]) == "/venv/bin/python")
        #expect(LiveGraph.interpreter(explicit: nil, config: config, environment: [:]) == "python3")
        // .venv beside the config file, not beside the working directory.
        let local = dir.appendingPathComponent(".venv/bin/python")
        try FileManager.default.createDirectory(at: local.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "#!/bin/sh\n".write(to: local, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: local.path)
        #expect(LiveGraph.interpreter(explicit: nil, config: config, environment: [:]) == local.path)
    }

    @Test func aBrokenConfigFileIsNamedWithItsLine() throws {
        let dir = try tree(["metaxy.toml": "store = \"dev\"\n[stores.dev\ntype = 1\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            try ProjectConfig.load(workingDirectory: dir.path, environment: [:])
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(dir.appendingPathComponent("metaxy.toml").path + ":2: is not valid TOML")
        }
    }

    @Test func aPyprojectWithoutToolMetaxyIsNotAProjectToOpen() throws {
        // metaxy stops its search there (and has no store); metaxy-tui opens the demo instead.
        let dir = try tree(["pyproject.toml": "[project]\nname = \"x\"\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try Project.find(from: dir.path, environment: [:]) == nil)
        let config = try ProjectConfig.load(workingDirectory: dir.path, environment: [:])
        #expect(config.stores.isEmpty)
    }

    /// metaxy 0.1.x's config: `project`, and a PostgreSQL store by its connection string, each
    /// overridden by the environment as metaxy's discovery does.
    @Test func aZeroOneConfigNamesItsProjectAndItsServer() throws {
        let dir = try tree(["metaxy.toml": """
            project = "video_features"
            [stores.dev]
            type = "metaxy.ext.postgresql.PostgreSQLMetadataStore"
            [stores.dev.config]
            connection_string = "postgresql://metaxy@db/metaxy"
            """])
        defer { try? FileManager.default.removeItem(at: dir) }
        let project = try #require(try Project.find(from: dir.path, environment: [:]))
        #expect(project.config.project == "video_features")
        let store = try project.store.get()
        #expect(store.isServer && store.hashAlgorithm == "xxhash32", "0.1.x's PostgreSQL store hashes with xxhash32 by default")
        #expect(project.storePath == "postgresql://metaxy@db/metaxy", "a server is there before anything is written")
        let overridden = try #require(try Project.find(from: dir.path, environment: [
            "METAXY_PROJECT": "audio_lab", "METAXY_STORES__DEV__CONFIG__CONNECTION_STRING": "postgresql://other/db",
        ]))
        #expect(overridden.config.project == "audio_lab" && overridden.storePath == "postgresql://other/db")
        let bad = try tree(["metaxy.toml": "[stores.dev]\ntype = \"metaxy.ext.postgresql.PostgreSQLMetadataStore\"\n"])
        defer { try? FileManager.default.removeItem(at: bad) }
        #expect(throws: ConfigError.self) { try Project.find(from: bad.path, environment: [:])?.store.get() }
    }

    @Test func theLabelSaysProjectAndStore() throws {
        let dir = try tree(["proj/metaxy.toml": "[stores.dev]\ntype = \"metaxy.metadata_store.sqlite.SQLiteMetadataStore\"\n[stores.dev.config]\ndatabase = \"m.db\"\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let project = try #require(try Project.find(from: dir.appendingPathComponent("proj").path, environment: [:]))
        #expect(project.label == "project: proj · store dev")
        #expect(project.storePath == nil, "not written yet")
        let other = try #require(try Project.find(from: dir.appendingPathComponent("proj").path, environment: ["METAXY_STORE": "prod"]))
        #expect(other.label == "project: proj · no store")
    }

    @Test func tracebacksEndInTheUsersFileAndLine() {
        let text = """
        Traceback (most recent call last):
          File "/venv/lib/python3.11/site-packages/metaxy/entrypoints.py", line 50, in load_module_entrypoint
          File "<frozen importlib._bootstrap>", line 1204, in _gcd_import
          File "/work/p/video_features/features.py", line 12, in <module>
            import torch
        ModuleNotFoundError: No module named 'torch'

        The above exception was the direct cause of the following exception:

        Traceback (most recent call last):
          File "<string>", line 14, in <module>
          File "/venv/lib/python3.11/site-packages/metaxy/entrypoints.py", line 60, in load_module_entrypoint
        metaxy.entrypoints.EntrypointLoadError: Error loading entrypoint module 'video_features.features': No module named 'torch'
        """
        #expect(LiveGraph.traceback(text, root: "/work/p") == "video_features/features.py:12: ModuleNotFoundError: No module named 'torch'")
    }
}
