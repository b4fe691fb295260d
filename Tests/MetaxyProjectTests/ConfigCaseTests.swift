import Foundation
import MetaxyCore
import MetaxyProject
import TestSupport
import Testing

/// Every configuration case recorded from metaxy 0.0.0 (`projects/video/expected/config-cases.json`):
/// the same config file, settings and store, or an error at the same stage.
@Suite struct ConfigCaseTests {
    struct Case: @unchecked Sendable, CustomTestStringConvertible {
        let name: String
        let json: [String: Any]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = Fixtures.vectors.appendingPathComponent("projects/video/expected/config-cases.json")
        let root = (try? Fixtures.json(url)) as? [String: Any]
        return ((root?["cases"] as? [[String: Any]]) ?? []).map { Case(name: $0["name"] as? String ?? "?", json: $0) }
    }()

    /// Objects with their keys sorted, so dictionaries compare whatever their order.
    static func canonical(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func allCasesAreRead() { #expect(Self.cases.count == 30) }

    @Test(arguments: cases)
    func resolvesAsMetaxyDid(_ c: Case) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for (path, text) in c.json["files"] as? [String: String] ?? [:] {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        for extra in c.json["dirs"] as? [String] ?? [] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(extra), withIntermediateDirectories: true)
        }
        let cwd = dir.appendingPathComponent(c.json["cwd"] as? String ?? ".").standardizedFileURL.path
        let environment = c.json["env"] as? [String: String] ?? [:]
        let resolved = try #require(c.json["resolved"] as? [String: Any])
        let expectedFile = (resolved["config_file"] as? String).map { dir.appendingPathComponent($0).standardizedFileURL.path }
        let failure = resolved["error"] as? [String: String]

        let config: ProjectConfig
        do {
            config = try ProjectConfig.load(workingDirectory: cwd, environment: environment)
        } catch {
            #expect(failure?["stage"] == "load", "\(c.name): metaxy loaded it, we did not: \(error)")
            #expect(error.description.contains(expectedFile ?? "-"), "the message names the file: \(error)")
            return
        }
        #expect(failure?["stage"] != "load", "\(c.name): metaxy refused the settings: \(failure?["message"] ?? "")")
        #expect(config.file.map { URL(fileURLWithPath: $0).standardizedFileURL.path } == expectedFile)
        if let expectedConfig = resolved["config"] {
            let ours = try JSONSerialization.jsonObject(with: Data(config.json.compact().utf8))
            #expect(Self.canonical(ours) == Self.canonical(expectedConfig), "\(c.name)")
        }
        do {
            let store = try StoreSelection.select(config)
            #expect(failure == nil, "\(c.name): metaxy failed with \(failure?["message"] ?? ""), we chose \(store)")
            #expect(store.storeClass == resolved["store_class"] as? String)
            #expect(store.hashAlgorithm == resolved["hash_algorithm"] as? String)
            #expect(store.database == resolved["database"] as? String)
            let expectedPath = (resolved["database_resolved"] as? String).map { dir.appendingPathComponent($0).standardizedFileURL.path }
            #expect(store.databasePath == expectedPath)
            #expect(store.fallbackStores == resolved["fallback_stores"] as? [String])
        } catch {
            #expect(error.stage == .store)
            let expected = try #require(resolved["error"] as? [String: String], "\(c.name): metaxy chose a store, we said: \(error)")
            #expect(expected["stage"] == "get_store")
            // Our words, the same fact: the store name metaxy could not find is named.
            if let name = expected["message"]?.firstMatch(of: /Store '([^']*)' not found/)?.1 {
                #expect(error.message.contains("'\(name)'"), "\(error)")
            }
        }
    }
}
