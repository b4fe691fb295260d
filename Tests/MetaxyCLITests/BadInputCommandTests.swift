import Foundation
import MetaxyCore
import Testing
import TestSupport

/// Bad input ends in a message that names the file and line and says what to do, exit code 1,
/// nothing on stdout; bad usage is swift-argument-parser's exit code 64.
@Suite struct BadInputCommandTests {
    func write(_ text: String, as name: String) throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test(arguments: [
        ("features:\n  - key: a\n  - key: b\n    deps: [c]\n", ":4:", "which is not in the graph"),
        ("features:\n  - key: a\n    deps: [b]\n  - key: b\n    deps: [a]\n", ":", "dependency cycle: a → b → a"),
        ("features:\n  - key: a\n    fields: [{key: x, code_version: 1.5}]\n", ":3:", "code_version must be an integer"),
        ("", ":1:1:", "the file is empty"),
        ("features: [\n", ":2:", "not valid YAML or JSON"),
        ("features:\n  - key: a\n    fields: [x]\n  - key: b\n    deps: [a]\n    fields: [{key: y, deps: {a: [z]}}]\n",
         ":6:", "depends on 'a.z', but a has the fields x"),
        ("features:\n  - key: a\n  - key: c\n  - key: b\n    deps: [a]\n    fields: [{key: y, deps: {c: \"*\"}}]\n",
         ":6:", "which is not among the feature's deps"),
        ("features:\n  - key: a\n  - key: a\n", ":3:", "duplicate feature key 'a'"),
        ("features:\n  - key: a\n    fields: [x, x]\n", ":3:", "duplicate field key 'x'"),
        ("features:\n  - key: a__b\n", ":2:", "cannot contain double underscores"),
        ("features:\n  - key: a\n  - key: b\n    deps: [{key: a, rename: {p: data_version}}]\n", ":4:",
         "to the system column 'data_version'"),
        ("features:\n  - key: a\n    depz: []\n", ":3:", "unknown key `depz` in a feature (did you mean `deps`?)"),
        ("features: " + String(repeating: "[", count: 100_000), ":1:", "nested more than 200 levels"),
        ("{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4, \"e\": 5, \"f\": 6, \"g\": 7}\n", ":1:1:",
         "found the keys 'a', 'b', 'c', 'd', 'e', and 2 more\n"),
        ("{\"a\": 1}\n", ":1:1:", "found the key 'a'\n"),
        ("{}\n", ":1:1:", "found an empty mapping\n"),
    ])
    func reportsTheFileAndLine(text: String, location: String, message: String) throws {
        let file = try write(text, as: "graph.yaml")
        for command in [["graph", "versions"], ["graph", "render"], []] {
            let result = try Binary.run(command + [file.path])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(file.path + location), "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
        }
    }

    @Test func missingFileAndDirectory() throws {
        let missing = try Binary.run(["graph", "versions", "/nonexistent/graph.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/graph.yaml: no such file"))
        let directory = try Binary.run(["graph", "versions", NSTemporaryDirectory()])
        #expect(directory.status == 1)
        #expect(directory.stderr.contains("is a directory"))
    }

    @Test func missingRowsOrGraphOfAStoreWriteAreNamed() throws {
        let dir = try Fixtures.temporaryDirectory()
        let store = dir.appendingPathComponent("store.db").path, rows = dir.appendingPathComponent("rows.jsonl").path
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        try "{\"sample_uid\": 1}\n".write(toFile: rows, atomically: true, encoding: .utf8)
        for (arguments, message) in [
            (["--graph", graph, "--input", dir.appendingPathComponent("missing.jsonl").path],
             "/missing.jsonl: no such file; give a JSONL file of rows, or - for standard input\n"),
            (["--graph", graph, "--input", dir.path], ": is a directory; give a JSONL file of rows"),
            (["--graph", dir.appendingPathComponent("missing.yaml").path, "--input", rows], "/missing.yaml: no such file"),
        ] {
            let result = try Binary.run(["store", "write", store, "example/video"] + arguments)
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
            #expect(!FileManager.default.fileExists(atPath: store), "no store is made for a write that cannot start")
        }
        let push = try Binary.run(["store", "push", store, "--graph", dir.appendingPathComponent("missing.yaml").path])
        #expect(push.status == 1)
        #expect(push.stderr.contains("/missing.yaml: no such file"))
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test func invalidUTF8() throws {
        let dir = try Fixtures.temporaryDirectory()
        let file = dir.appendingPathComponent("latin1.yaml")
        try Data([0x66, 0x65, 0x61, 0x74, 0x75, 0x72, 0x65, 0x73, 0x3A, 0x20, 0xE9, 0x0A]).write(to: file)
        let result = try Binary.run(["graph", "versions", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(":1:1: this line is not valid UTF-8"))
    }

    @Test func unknownFocusFeatureSuggestsOne() throws {
        let file = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        let result = try Binary.run(["graph", "render", file, "--feature", "example/crops"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--feature 'example/crops' is not in the graph (did you mean 'example/crop'?)"))
    }

    @Test func usageErrorsExitWith64() throws {
        let file = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        for arguments in [["graph", "render", file, "--up", "1"], ["graph", "versions", file, "--format", "xml"],
                          ["graph", "render", file, "--hash-length", "-1"], ["graph", "versions"]] {
            let result = try Binary.run(arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(!result.stderr.isEmpty)
        }
    }
}
