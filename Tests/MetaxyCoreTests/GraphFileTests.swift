import Foundation
import MetaxyCore
import Testing
import TestSupport

/// The accepted shapes of a graph file (DESIGN §3).
@Suite struct GraphFileFormTests {
    /// The bundled example, in the short hand-written form.
    static let short = DemoGraph.yaml

    @Test func shortFormAppliesMetaxysDefaults() throws {
        let specs = try GraphFileParser.parse(Array("features:\n  - key: root\n".utf8), file: "g.yaml")
        #expect(specs == [FeatureSpec(key: FeatureKey(["root"]), deps: nil, fields: [FieldSpec(key: .default, codeVersion: 1, deps: .all)])])
    }

    @Test func allShapesGiveTheSameGraph() throws {
        let video = try Fixtures.graph(Self.short).snapshotVersion
        let specs = try GraphFileParser.parse(Array(Self.short.utf8), file: "g.yaml")
        let list = "[" + specs.map { $0.jsonValue.pythonDumps() }.joined(separator: ", ") + "]"
        let wrapped = "{\"features\": \(list), \"name\": \"ignored\", \"expected\": {}}"
        let snapshot = "{" + specs.map { "\"\($0.key)\": {\"feature_spec\": \($0.jsonValue.pythonDumps()), \"feature_version\": \"x\"}" }
            .joined(separator: ", ") + "}"
        let flowYAML = "{features: [{key: example/video, fields: [audio, frames]}, {key: example/crop, deps: [example/video], "
            + "fields: [{key: audio, deps: {example/video: [audio]}}, {key: frames, deps: [{feature_key: [example, video], fields: [[frames]]}]}]}]}"
        for text in [list, wrapped, snapshot] {
            #expect(try Fixtures.graph(text).snapshotVersion == video, "\(text.prefix(60))")
        }
        let firstTwo = "[" + specs.prefix(2).map { $0.jsonValue.pythonDumps() }.joined(separator: ", ") + "]"
        #expect(try Fixtures.graph(flowYAML).snapshotVersion == Fixtures.graph(firstTwo).snapshotVersion)
    }

    @Test func starAndSentinelBothMeanAll() throws {
        let a = try Fixtures.graph("features:\n  - key: u\n    fields: [x, y]\n  - key: d\n    deps: [u]\n    fields:\n      - key: f\n        deps: \"*\"\n")
        let b = try Fixtures.graph("features:\n  - key: u\n    fields: [x, y]\n  - key: d\n    deps: [u]\n    fields:\n      - key: f\n        deps: __METAXY_ALL_DEP__\n")
        let c = try Fixtures.graph("features:\n  - key: u\n    fields: [x, y]\n  - key: d\n    deps: [u]\n    fields:\n      - key: f\n        deps: {u: \"*\"}\n")
        let d = try Fixtures.graph("features:\n  - key: u\n    fields: [x, y]\n  - key: d\n    deps: [u]\n    fields: [f]\n")
        #expect(Set([a, b, c, d].map(\.snapshotVersion)).count == 1)
    }

    @Test func quotedCodeVersionIsAcceptedAsPydanticDoes() throws {
        let quoted = try Fixtures.graph("features:\n  - key: a\n    fields: [{key: x, code_version: \"3\"}]\n")
        let plain = try Fixtures.graph("features:\n  - key: a\n    fields: [{key: x, code_version: 3}]\n")
        #expect(quoted.snapshotVersion == plain.snapshotVersion)
    }

    @Test func escapedJSONStringsAreDecoded() throws {
        let specs = try GraphFileParser.parse(Array(#"[{"key": ["caf\u00e9", "a\"b"], "deps": null}]"#.utf8), file: "g.json")
        #expect(specs.first?.key.parts == ["café", "a\"b"])
    }

    @Test func specJSONRoundTripsInMetaxysSpacing() throws {
        let spec = try #require(GraphFileParser.parse(Array(Self.short.utf8), file: "g.yaml").first { $0.key.string == "example/crop" })
        #expect(spec.jsonValue.pythonDumps() == #"{"key": ["example", "crop"], "deps": [{"key": ["example", "video"], "columns": null, "rename": null}], "fields": [{"key": ["audio"], "code_version": 1, "deps": [{"feature_key": ["example", "video"], "fields": [["audio"]]}]}, {"key": ["frames"], "code_version": 1, "deps": [{"feature_key": ["example", "video"], "fields": [["frames"]]}]}], "code_version": 1}"#)
    }
}

/// Every class of bad input is reported with the file, the line and what to do, all at once.
@Suite struct GraphFileProblemTests {
    func problem(_ text: String, line: Int, containing fragment: String) {
        let problems = Fixtures.problems(text, file: "bad.yaml")
        #expect(problems.contains { $0.location.line == line && $0.message.contains(fragment) },
                "expected line \(line) ‘\(fragment)’, got \(problems)")
        #expect(problems.allSatisfy { $0.description.hasPrefix("bad.yaml") })
    }

    @Test func unknownFeatureDep() {
        problem("features:\n  - key: a\n  - key: b\n    deps: [a, c]\n", line: 4, containing: "depends on 'c', which is not in the graph")
    }

    @Test func unknownFeatureDepSuggestsTheClosestKey() {
        problem("features:\n  - key: example/video\n  - key: b\n    deps: [example/vide]\n", line: 4, containing: "did you mean 'example/video'")
    }

    @Test func fieldDepOnAFeatureThatIsNotADep() {
        problem("features:\n  - key: a\n  - key: c\n  - key: b\n    deps: [a]\n    fields:\n      - key: x\n        deps: {c: [default]}\n",
                line: 8, containing: "which is not among the feature's deps (they are a)")
    }

    @Test func unknownUpstreamField() {
        problem("features:\n  - key: a\n    fields: [audio]\n  - key: b\n    deps: [a]\n    fields:\n      - key: x\n        deps: {a: [audo]}\n",
                line: 8, containing: "depends on 'a.audo', but a has the fields audio")
    }

    @Test func duplicateFeatureKey() {
        problem("features:\n  - key: a\n  - key: a\n", line: 3, containing: "duplicate feature key 'a' (first defined at line 2)")
    }

    @Test func duplicateFieldKey() {
        problem("features:\n  - key: a\n    fields:\n      - x\n      - x\n", line: 5, containing: "duplicate field key 'x'")
    }

    @Test func invalidKeyParts() {
        problem("features:\n  - key: a__b\n", line: 2, containing: "cannot contain double underscores")
        problem("features:\n  - key: [a, b/c]\n", line: 2, containing: "cannot contain forward slashes")
        problem(#"{"features": [{"key": ["a", 3], "deps": null}]}"#, line: 1, containing: "FeatureKey parts must be strings, found '3'")
        problem("features:\n  - key: a\n    fields: [x__y]\n", line: 3, containing: "FieldKey part 'x__y'")
    }

    @Test func cycleIsReportedWithItsPath() {
        let text = "features:\n  - key: a\n    deps: [c]\n  - key: b\n    deps: [a]\n  - key: c\n    deps: [b]\n"
        let problems = Fixtures.problems(text, file: "bad.yaml")
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("dependency cycle: a → c → b → a") == true, "\(problems)")
        problem("features:\n  - key: self\n    deps: [self]\n", line: 3, containing: "dependency cycle: self → self")
    }

    @Test func renameOntoASystemColumn() {
        problem("features:\n  - key: a\n  - key: b\n    deps:\n      - key: a\n        rename: {path: sample_uid}\n",
                line: 6, containing: "cannot rename column 'path' to the system column 'sample_uid'")
    }

    @Test func codeVersionMustBeAnInteger() {
        problem("features:\n  - key: a\n    fields: [{key: x, code_version: 1.5}]\n", line: 3, containing: "code_version must be an integer, found '1.5'")
        problem("features:\n  - key: a\n    fields: [{key: x, code_version: two}]\n", line: 3, containing: "code_version must be an integer")
    }

    @Test func unknownKeysAreNamedWithASuggestion() {
        problem("features:\n  - key: a\n    dep: [b]\n", line: 3, containing: "unknown key `dep` in a feature (did you mean `deps`?)")
    }

    @Test func wrongShapes() {
        problem("features: 3\n", line: 1, containing: "`features` must be a list")
        problem("hello\n", line: 1, containing: "expected `features: [...]`")
        problem("features:\n  - [a]\n", line: 2, containing: "a feature must be a mapping")
        problem("features:\n  - deps: []\n", line: 2, containing: "has no `key`")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let text = "features:\n  - key: a\n    deps: [nope]\n  - key: a\n  - key: b\n    fields: [{key: x, code_version: x}]\n"
        #expect(Fixtures.problems(text, file: "bad.yaml").count == 3)
    }

    @Test func emptyFile() {
        for text in ["", "   \n", "# only a comment\n"] {
            let problems = Fixtures.problems(text, file: "bad.yaml")
            #expect(problems.first?.message.contains("the file is empty; an empty graph is written `features: []`") == true)
        }
    }

    @Test func syntaxErrorsPointAtTheLine() {
        problem("features:\n  - key: a\n    fields: [x\n", line: 4, containing: "not valid YAML or JSON")
        problem("{\"features\": [\n  {\"key\": \"a\" \"deps\": null}\n]}\n", line: 2, containing: "not valid JSON: expected ',' or '}'")
        problem("features:\n  - key: a\n    key: b\n", line: 2, containing: "duplicate key 'key'")
        problem("{\"features\": [], \"features\": []}", line: 1, containing: "duplicate key 'features'")
    }

    @Test func invalidUTF8() {
        var bytes = Array("features:\n  - key: a\n  - key: ".utf8)
        bytes += [0xFF, 0xFE, 0x0A]
        #expect(throws: GraphError.self) { try GraphFileParser.parse(bytes, file: "bad.yaml") }
        do {
            _ = try GraphFileParser.parse(bytes, file: "bad.yaml")
        } catch {
            #expect(error.problems.first?.location.line == 3)
            #expect(error.problems.first?.message.contains("not valid UTF-8") == true)
        }
    }

    @Test func absurdNestingEndsInAMessage() {
        for open in ["[", "{a: "] {
            let text = "features: " + String(repeating: open, count: 100_000)
            let problems = Fixtures.problems(text, file: "bad.yaml")
            #expect(problems.first?.message.contains("nested more than") == true, "\(problems)")
        }
        let json = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(Fixtures.problems(json, file: "bad.json").first?.message.contains("nested more than") == true)
    }

    @Test func aFiftyMegabyteLineEndsInAMessage() {
        let line = String(repeating: "a", count: 50_000_000)
        #expect(Fixtures.problems(line, file: "bad.yaml").first?.message.contains("expected `features: [...]`") == true)
        // A long line does not hide the problem after it.
        let key = "features:\n  - key: [" + String(repeating: "a", count: 5_000_000) + ", b]\n  - key: c\n    deps: [nope]\n"
        #expect(Fixtures.problems(key, file: "bad.yaml").first?.location.line == 4)
    }
}

@Suite struct AllProblemsAtOnceTests {
    @Test func cyclesAreReportedWithOtherProblems() {
        let text = "features:\n  - key: a\n    deps: [b]\n  - key: b\n    deps: [a]\n  - key: c\n    deps: [zz]\n"
        let problems = Fixtures.problems(text, file: "bad.yaml")
        #expect(problems.contains { $0.message.contains("dependency cycle: a → b → a") })
        #expect(problems.contains { $0.message.contains("c depends on 'zz', which is not in the graph") })
        // No far-fetched suggestion for a short unknown key.
        #expect(!problems.contains { $0.message.contains("did you mean") })
    }
}
