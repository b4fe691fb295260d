import MetaxyCore
/// Deterministic synthetic graphs for property tests and benchmarks: random DAGs that mix
/// ALL, whole-feature and explicit field deps, and long chains.
public enum GraphGenerator {
    /// SplitMix64: tiny, fast and identical on every platform, so a seed always gives the same graph.
    public struct Random: RandomNumberGenerator {
        private var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `count` features in dependency order, about 3.5 fields each; a tenth are roots, the rest
    /// depend on up to three earlier features chosen mostly from the recent ones.
    public static func dag(features count: Int, seed: UInt64 = 42) -> [FeatureSpec] {
        var rng = Random(seed: seed)
        let names = ["audio", "frames", "text", "embedding", "mask", "boxes", "caption", "meta"]
        var specs: [FeatureSpec] = []
        specs.reserveCapacity(count)
        for i in 0..<count {
            let key = FeatureKey(["group\(i % 97)", "feature_\(i)"])
            let fieldCount = Int.random(in: 1...6, using: &rng)
            let fieldKeys = names.shuffled(using: &rng).prefix(fieldCount).map { FieldKey([$0]) }
            let isRoot = i == 0 || Int.random(in: 0..<10, using: &rng) == 0
            var upstream: [Int] = []
            if !isRoot {
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let window = min(i, 50)
                    let u = Int.random(in: 0..<10, using: &rng) < 8
                        ? i - 1 - Int.random(in: 0..<window, using: &rng) : Int.random(in: 0..<i, using: &rng)
                    if !upstream.contains(u) { upstream.append(u) }
                }
            }
            let fields = fieldKeys.map { fieldKey -> FieldSpec in
                let codeVersion = Int.random(in: 1...3, using: &rng)
                guard !upstream.isEmpty else { return FieldSpec(key: fieldKey, codeVersion: codeVersion) }
                switch Int.random(in: 0..<3, using: &rng) {
                case 0:
                    return FieldSpec(key: fieldKey, codeVersion: codeVersion, deps: .all)
                case 1:
                    let u = upstream.randomElement(using: &rng)!
                    return FieldSpec(key: fieldKey, codeVersion: codeVersion, deps: .only([FieldDep(featureKey: specs[u].key)]))
                default:
                    let deps = upstream.shuffled(using: &rng).prefix(2).map { u in
                        let available = specs[u].fields.map(\.key)
                        let picked = available.shuffled(using: &rng).prefix(Int.random(in: 1...available.count, using: &rng))
                        return FieldDep(featureKey: specs[u].key, fields: .only(Array(picked)))
                    }
                    return FieldSpec(key: fieldKey, codeVersion: codeVersion, deps: .only(deps))
                }
            }
            specs.append(FeatureSpec(key: key, deps: isRoot ? nil : upstream.map { FeatureDep(key: specs[$0].key) },
                                     fields: fields))
        }
        return specs
    }

    /// A chain `chain/0 ← chain/1 ← …`, each with two fields reading the previous feature's.
    public static func chain(length: Int) -> [FeatureSpec] {
        (0..<length).map { i in
            let fields = [FieldKey(["a"]), FieldKey(["b"])].map { FieldSpec(key: $0) }
            return FeatureSpec(key: FeatureKey(["chain", "\(i)"]),
                               deps: i == 0 ? nil : [FeatureDep(key: FeatureKey(["chain", "\(i - 1)"]))], fields: fields)
        }
    }

    /// The specs as a metaxy JSON dump, `{"features": [...]}`, one feature per line.
    public static func json(_ specs: [FeatureSpec]) -> String {
        "{\"features\": [\n" + specs.map { $0.jsonValue.pythonDumps() }.joined(separator: ",\n") + "\n]}\n"
    }
}
