import Foundation
import TestSupport
import Testing

/// `metaxy-tui` in a real metaxy project (`projects/video`, `projects/video-pyproject`), its live
/// graph exported by the real metaxy 0.0.0 in a virtualenv: the same versions and listings as
/// metaxy's own CLI recorded, and metaxy reads what we push.
@Suite(.serialized) struct ProjectCommandTests {
    static let projects = Fixtures.vectors.appendingPathComponent("projects")

    /// A fresh copy of a project directory, and the venv's python.
    func project(_ name: String) throws -> (URL, String) {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try FileManager.default.copyItem(at: Self.projects.appendingPathComponent(name), to: dir)
        return (dir, try MetaxyPython.interpreter.get())
    }

    func run(_ arguments: [String], in dir: URL, python: String, environment: [String: String] = [:]) throws -> Binary.Result {
        try Binary.run(arguments + ["--python", python], environment: environment, directory: dir)
    }

    @Test(arguments: ["video", "video-pyproject"])
    func versionsListingAndDescriptionAreMetaxys(name: String) throws {
        let (dir, python) = try project(name)
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let expected = try #require(try Fixtures.json(dir.appendingPathComponent("expected/versions.json")) as? [String: Any])
        let versions = try run(["graph", "versions", "project", "--format", "json"], in: dir, python: python)
        #expect(versions.status == 0, "\(versions.stderr)")
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [String: Any])
        let theirs = try #require(expected["expected"] as? [String: Any])
        #expect(ours["snapshot_version"] as? String == theirs["snapshot_version"] as? String)
        #expect(ours["snapshot_version"] as? String == "8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d")
        // `.` is the same project, from a folder below the config too.
        let sub = dir.appendingPathComponent("video_features")
        #expect(try run(["graph", "versions", ".", "--format", "json"], in: sub, python: python).stdout == versions.stdout)

        let list = try run(["list", "features"], in: dir, python: python)
        #expect(list.stdout == (try String(contentsOf: dir.appendingPathComponent("expected/list-features.txt"), encoding: .utf8)),
                "byte for byte as `metaxy list features`")
        let describe = try run(["graph", "describe", "--format", "json"], in: dir, python: python)
        let d = try #require(try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as? [String: Any])
        #expect(d["feature_count"] as? Int == 4)
        #expect(d["graph_depth"] as? Int == 3, "metaxy's describe: Graph Depth 3")
        #expect(d["root_features"] as? [String] == ["example/video"])
        // The browser opens it the same way: its live graph, the store its config names.
        let shot = dir.appendingPathComponent("shot.txt")
        #expect(try run(["screenshot", "project", "--size", "120x40", "--out", shot.path], in: dir, python: python).status == 0)
        let screen = try String(contentsOf: shot, encoding: .utf8)
        #expect(screen.contains("project: \(name) · store dev · snapshot 8468950d · 4 features"), "\(screen)")
    }

    @Test func pushIsReadByMetaxysOwnHistory() throws {
        let (dir, python) = try project("video")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let first = try run(["graph", "push"], in: dir, python: python)
        #expect(first.stdout == (try String(contentsOf: dir.appendingPathComponent("expected/graph-push.txt"), encoding: .utf8)), "\(first.stderr)")
        let again = try run(["graph", "push"], in: dir, python: python)
        #expect(again.stdout == (try String(contentsOf: dir.appendingPathComponent("expected/graph-push-again.txt"), encoding: .utf8)))
        // metaxy's own CLI, as its console script runs it (with the project importable, as it needs).
        let history = try Binary.run(URL(fileURLWithPath: python), ["-c", "import sys; from metaxy.cli.app import main; sys.argv = ['metaxy', 'graph', 'history']; main()"],
                                     environment: ["PYTHONPATH": ".", "COLUMNS": "200"], directory: dir)
        #expect(history.status == 0, "\(history.stderr)")
        #expect(history.stdout.contains("8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d"), "\(history.stdout)")
        let ours = try run(["graph", "history", "--format", "json"], in: dir, python: python)
        #expect(ours.stdout.contains("\"snapshot_version\": \"8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d\""))
    }

    @Test func failuresAreShownNotThrown() throws {
        let (dir, python) = try project("video")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let missing = try Binary.run(["graph", "versions", "project", "--python", "/nonexistent/python"], directory: dir)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no Python at /nonexistent/python"), "\(missing.stderr)")

        // An interpreter without metaxy: say which, and the pip command.
        let bare = dir.deletingLastPathComponent().appendingPathComponent("bare")
        #expect(try Binary.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "python3 -m venv '\(bare.path)'"]).status == 0)
        let noMetaxy = try Binary.run(["graph", "versions", "project", "--python", bare.path + "/bin/python"], directory: dir)
        #expect(noMetaxy.status == 1)
        #expect(noMetaxy.stderr.contains("metaxy is not installed for \(bare.path)/bin/python: \(bare.path)/bin/python -m pip install metaxy==0.0.0"),
                "\(noMetaxy.stderr)")

        let features = dir.appendingPathComponent("video_features/features.py")
        let original = try String(contentsOf: features, encoding: .utf8)
        try (original + "def broken(:\n").write(to: features, atomically: true, encoding: .utf8)
        let syntax = try run(["graph", "versions", "project"], in: dir, python: python)
        let line = original.split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(syntax.status == 1)
        #expect(syntax.stderr.hasPrefix("video_features/features.py:\(line): invalid syntax"), "\(syntax.stderr)")
        try (original + "raise RuntimeError('model weights missing')\n").write(to: features, atomically: true, encoding: .utf8)
        let raised = try run(["graph", "versions", "project"], in: dir, python: python)
        #expect(raised.stderr.contains("video_features/features.py:\(line): RuntimeError: model weights missing"), "\(raised.stderr)")

        // A module that hangs, with a child of its own: both end at the timeout.
        let marker = "metaxy-tui-hang-\(UUID().uuidString.prefix(8))"
        try (original + "import subprocess, time\nsubprocess.Popen(['sh', '-c', 'sleep 300 # \(marker)'])\ntime.sleep(300)\n")
            .write(to: features, atomically: true, encoding: .utf8)
        let start = Date()
        let hung = try run(["graph", "versions", "project", "--python-timeout", "3"], in: dir, python: python)
        #expect(Date().timeIntervalSince(start) < 20)
        #expect(hung.status == 1)
        #expect(hung.stderr.contains("took longer than 3 s and was stopped"), "\(hung.stderr)")
        // `[m]` so the pattern does not find the shell that runs pgrep.
        let left = try Binary.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "pgrep -f '[m]\(marker.dropFirst())' || true"])
        #expect(left.stdout.isEmpty, "the interpreter's children were killed with it: \(left.stdout)")
        try original.write(to: features, atomically: true, encoding: .utf8)
    }

    @Test func outsideAProjectProjectIsABadReference() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try Binary.run(["graph", "versions", "project"], directory: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("names the metaxy project around the working directory, and there is none"), "\(result.stderr)")
        let store = try Binary.run(["graph", "push"], directory: dir)
        #expect(store.status == 1)
        #expect(store.stderr.contains("there is no project here"))
    }

    @Test func aStoreTypeMetaxyTuiCannotOpenIsNamed() throws {
        let (dir, python) = try project("video")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let result = try run(["graph", "push"], in: dir, python: python,
                             environment: ["METAXY_STORES__DEV__TYPE": "metaxy.metadata_store.duckdb.DuckDBMetadataStore"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("store 'dev' is a DuckDBMetadataStore"), "\(result.stderr)")
        #expect(result.stderr.contains(dir.appendingPathComponent("metaxy.toml").path), "names the config file")
    }
}

/// The browser in a project, in tmux: the live graph and the config's store; a code change shows
/// in the Diff screen within 3 s with the stored samples it makes stale; a syntax error keeps
/// the last graph and names its line.
@Suite(.serialized) struct ProjectSessionTests {
    @Test func liveGraphFollowsTheCode() throws {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("video")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        try FileManager.default.copyItem(at: ProjectCommandTests.projects.appendingPathComponent("video"), to: dir)
        let python = try MetaxyPython.interpreter.get()
        // The store the config names, with 20 videos and their crops at the current graph.
        #expect(try Binary.run(["graph", "push", "--python", python], directory: dir).status == 0)
        let rows = dir.appendingPathComponent("rows.jsonl")
        try (1...20).map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}" }.joined(separator: "\n")
            .write(to: rows, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["store", "write", "metadata.db", "example/video", "--graph", "project", "--input", rows.path, "--python", python],
                               directory: dir).status == 0)
        try (1...20).map { "{\"sample_uid\": \($0)}" }.joined(separator: "\n").write(to: rows, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["store", "write", "metadata.db", "example/crop", "--graph", "project", "--input", rows.path, "--python", python],
                               directory: dir).status == 0)

        let tmux = try Tmux(width: 120, height: 40)
        tmux.run("cd '\(dir.path)' && VIRTUAL_ENV='\(MetaxyPython.venv.path)' '\(Binary.url.path)'")
        #expect(tmux.wait(timeout: 20, forText: "project: video · store dev · snapshot 8468950d · 4 features") != nil, "\(tmux.capture())")
        tmux.send("d")
        #expect(tmux.wait(forText: "metadata.db@8468950d → project@8468950d") != nil, "the store's latest snapshot against the live graph")

        // crop's frames to code_version 2: crop and face_detection change.
        let features = dir.appendingPathComponent("video_features/features.py")
        let original = try String(contentsOf: features, encoding: .utf8)
        var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let frames = try #require(lines.indices.first { $0 > 0 && lines[$0 - 1].contains("FieldKey([\"frames\"])") && lines[$0].contains("code_version=1") && lines[..<$0].contains { $0.contains("class Crop") } })
        lines[frames] = lines[frames].replacingOccurrences(of: "code_version=1", with: "code_version=2")
        let start = Date()
        try lines.joined(separator: "\n").write(to: features, atomically: true, encoding: .utf8)
        // Speed is measured, not asserted (DESIGN §6): the time is printed for the record.
        let changed = tmux.wait(timeout: 20, forText: "→ project@cfad872c  2 changed")
        print("project session: the Diff screen showed the code change after \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
        #expect(changed != nil, "\(tmux.capture())")
        #expect(tmux.wait(forText: "20 stored samples will need recomputing") != nil, "the impact of the change on the store")

        // A syntax error: the last good graph stays, the status line names the line.
        try (lines.joined(separator: "\n") + "\ndef broken(:\n").write(to: features, atomically: true, encoding: .utf8)
        #expect(tmux.wait(timeout: 10, forText: "video_features/features.py:") != nil, "\(tmux.capture())")
        #expect(tmux.capture().contains("→ project@cfad872c  2 changed"), "the last good graph stays")
        tmux.send("q")
    }
}

@Suite struct BigProjectTests {
    @Test func aProjectOfTwoThousandFeaturesOpens() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try ProjectGenerator.write(features: 2_000, to: dir)
        let python = try MetaxyPython.interpreter.get()
        let versions = try Binary.run(["graph", "versions", "project", "--format", "json", "--python", python], directory: dir)
        #expect(versions.status == 0, "\(versions.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [String: Any])
        #expect((json["features"] as? [String: Any])?.count == 2_000)
        // The browser opens on it (headless, as a screenshot).
        let shot = dir.appendingPathComponent("shot.txt")
        let opened = try Binary.run(["screenshot", "project", "--size", "120x40", "--keys", "G", "--out", shot.path, "--python", python], directory: dir)
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(try String(contentsOf: shot, encoding: .utf8).contains("1 Features (2000)"))
    }
}
