import Foundation

/// A metaxy project of `count` Feature classes, for the tests and benchmarks of big projects:
/// a tenth are roots, every other feature reads two fields of up to two earlier ones, chosen
/// with a fixed seed, so the graph has diamonds and long chains like a real pipeline's.
public enum ProjectGenerator {
    public static func write(features count: Int, to dir: URL, seed: UInt64 = 7) throws {
        var rng = GraphGenerator.Random(seed: seed)
        var classes: [String] = []
        for i in 0..<count {
            let parents: [Int] = i < max(1, count / 10) ? [] : Array(Set((0..<2).map { _ in Int(rng.next() % UInt64(i)) })).sorted()
            let deps = parents.isEmpty ? "None" : "[" + parents.map { "FeatureDep(key=F\($0).spec.key)" }.joined(separator: ", ") + "]"
            let fieldDeps = parents.map { "FieldDep(feature_key=F\($0).spec.key, fields=[FieldKey([\"a\"])])" }.joined(separator: ", ")
            classes.append("""
                class F\(i)(Feature, spec=FeatureSpec(key=FeatureKey(["gen", "f\(i)"]), deps=\(deps), fields=[
                    FieldSpec(key=FieldKey(["a"]), code_version=1\(parents.isEmpty ? "" : ", deps=[\(fieldDeps)]")),
                    FieldSpec(key=FieldKey(["b"]), code_version=\(1 + i % 3)),
                ])):
                    pass

                """)
        }
        let package = dir.appendingPathComponent("gen_features")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try "".write(to: package.appendingPathComponent("__init__.py"), atomically: true, encoding: .utf8)
        let header = "from metaxy import Feature, FeatureDep, FeatureKey, FeatureSpec, FieldDep, FieldKey, FieldSpec\n\n"
        try (header + classes.joined(separator: "\n")).write(to: package.appendingPathComponent("features.py"), atomically: true, encoding: .utf8)
        try """
            store = "dev"
            entrypoints = ["gen_features.features"]

            [stores.dev]
            type = "metaxy.metadata_store.sqlite.SQLiteMetadataStore"

            [stores.dev.config]
            database = "metadata.db"

            """.write(to: dir.appendingPathComponent("metaxy.toml"), atomically: true, encoding: .utf8)
    }
}
