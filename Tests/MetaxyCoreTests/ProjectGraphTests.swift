import Foundation
import MetaxyCore
import Testing
import TestSupport

/// Graphs recorded from metaxy 0.1.11 (metaxy-0.1/graphs): rebuilt from the stored spec, schema and
/// class path texts alone, they give metaxy's order, parents, table names and every version.
@Suite struct ProjectGraphTests {
    static let files = ["video", "video_audio_v2", "multipart_keys", "lineage"]

    static func vector(_ name: String) throws -> JSONValue {
        let url = Fixtures.vectors.appendingPathComponent("metaxy-0.1/graphs/\(name).json")
        return try #require(JSONValue.parse(Array(Data(contentsOf: url))))
    }

    static func graph(_ vector: JSONValue) throws -> ProjectGraph {
        let specs = (vector["features"]?.array ?? []).map { feature in
            (spec: feature["feature_spec_json"]?.string ?? "", schema: feature["feature_schema_json"]?.string,
             classPath: feature["feature_class_path"]?.string)
        }
        return try ProjectGraph(project: vector["project"]?.string ?? "", specs: specs)
    }

    @Test(arguments: files)
    func structureMatchesMetaxy(name: String) throws {
        let vector = try Self.vector(name)
        let graph = try Self.graph(vector)
        #expect(graph.project == vector["project"]?.string)
        #expect(graph.features.map(\.key) == vector["topological_order"]?.array?.compactMap(\.string))
        for want in vector["features"]?.array ?? [] {
            let key = try #require(want["key"]?.string)
            let feature = try #require(graph.feature(key))
            #expect(feature.keyParts == want["key_parts"]?.array?.compactMap(\.string))
            #expect(feature.tableName == want["table_name"]?.string)
            #expect(feature.idColumns == want["id_columns"]?.array?.compactMap(\.string))
            #expect(feature.classPath == want["feature_class_path"]?.string)
            #expect(feature.specText == want["feature_spec_json"]?.string)
            #expect(feature.description == want["feature_spec"]?["description"]?.string)
            let parents = try #require(want["field_parents"]?.members)
            #expect(feature.fields.map(\.key) == parents.map(\.0), "\(key): fields in spec order")
            for (field, list) in parents {
                #expect(feature.field(field)?.parents == list.array?.compactMap(\.string), "\(key).\(field)")
            }
        }
    }

    @Test(arguments: files)
    func versionsMatchMetaxy(name: String) throws {
        let vector = try Self.vector(name)
        let graph = try Self.graph(vector)
        for truncation in [8, 64] {
            let want = try #require(vector["expected"]?[String(truncation)])
            let got = graph.versions(truncation: truncation)
            #expect(got.projectVersion == want["project_version"]?.string, "\(name) at \(truncation)")
            let features = try #require(want["features"]?.members)
            #expect(got.features.count == features.count)
            for (key, expected) in features {
                let feature = try #require(got.features[key], "\(key)")
                let context = "\(key) at \(truncation)"
                #expect(feature.featureVersion == expected["feature_version"]?.string, "\(context)")
                #expect(feature.specVersion == expected["feature_spec_version"]?.string, "\(context)")
                #expect(feature.definitionVersion == expected["definition_version"]?.string, "\(context)")
                #expect(feature.specCodeVersion == expected["spec_code_version"]?.string, "\(context)")
                let fields = try #require(expected["fields"]?.members)
                #expect(feature.fields.count == fields.count, "\(context)")
                for (field, version) in fields { #expect(feature.fields[field] == version.string, "\(context) \(field)") }
            }
        }
    }

    @Test func emptyProjectVersionIsTheWordEmpty() throws {
        #expect(try ProjectGraph(project: "p", specs: []).versions().projectVersion == "empty")
    }

    static func spec(_ key: String, deps: [String] = [], fields: String = #"[{"key": "x", "code_version": "1", "deps": []}]"#) -> (spec: String, schema: String?, classPath: String?) {
        let deps = deps.map {
            #"{"feature": "\#($0)", "select": null, "rename": null, "fields_mapping": {"mapping": {"type": "none"}}, "#
                + #""sql_filters": null, "lineage": {"relationship": {"type": "1:1"}}, "optional": false}"#
        }
        return (#"{"key": "\#(key)", "id_columns": ["id"], "deps": [\#(deps.joined(separator: ", "))], "fields": \#(fields), "metadata": {}, "description": null}"#, nil, nil)
    }

    @Test(arguments: [
        ([spec("a/x", deps: ["a/y"]), spec("a/y", deps: ["a/x"])], "feature a/x depends on itself"),
        ([spec("a/x", deps: ["a/missing"])], "feature a/x depends on a/missing, which is not in the graph"),
        // A none mapping and no explicit deps: the field has no parent.
        ([spec("a/x"), spec("a/y", deps: ["a/x"])], "feature a/y, field x: no upstream field matches it"),
        ([spec("a/x"), spec("a/y", deps: ["a/x"], fields: #"[{"key": "x", "code_version": "1", "deps": [{"feature": "a/x", "fields": ["nope"]}]}]"#)],
         "feature a/y, field x: a/x has no field nope"),
        ([spec("a/x"), spec("a/y", deps: [], fields: "[]")], "feature a/y: no fields"),
        ([(spec: "{", schema: nil, classPath: nil)], "feature spec #1 is not a JSON object"),
    ] as [([(spec: String, schema: String?, classPath: String?)], String)])
    func badSpecsNameTheFeature(specs: [(spec: String, schema: String?, classPath: String?)], message: String) {
        #expect {
            _ = try ProjectGraph(project: "p", specs: specs)
        } throws: { error in
            (error as? ProjectGraphError)?.description.hasPrefix(message) == true
        }
    }

    /// Python's `json.dumps` defaults, as the spec and schema hashes need them.
    @Test func pythonJSONMatchesPython() throws {
        let value = try #require(JSONValue.parse(Array(#"{"b": [1, 2.5, 1e16, 1e15, 0.0001, 1e-05, -0.0, 123.456, 5e-324], "a": "é—😀\n\u007f\"", "c": {"y": null, "x": true}}"#.utf8)))
        #expect(value.pythonDumps(sortKeys: true)
            == #"{"a": "\u00e9\u2014\ud83d\ude00\n\u007f\"", "b": [1, 2.5, 1e+16, 1000000000000000.0, 0.0001, 1e-05, -0.0, 123.456, 5e-324], "c": {"x": true, "y": null}}"#)
        #expect(value.pythonDumps().hasPrefix(#"{"b": "#))
    }
}

extension JSONValue {
    var string: String? { if case let .string(s) = self { s } else { nil } }
    var array: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
}
