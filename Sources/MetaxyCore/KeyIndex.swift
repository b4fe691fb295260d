/// Feature index by key: an open-addressing table of (hash, index) in one array. With 100,000
/// features a Dictionary lookup is several cache misses (bucket, then the key's string storage),
/// and looking up every dependency was a fifth of loading such a graph.
struct KeyIndex: Sendable {
    private var slots: [UInt64]
    private var mask: Int
    private let keys: [FeatureKey]
    /// (later index, first index) for each key seen twice; the first one is indexed.
    private(set) var duplicates: [(Int, Int)] = []

    init(_ keys: [FeatureKey]) {
        self.keys = keys
        var capacity = 16
        while capacity < keys.count * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: capacity)
        mask = capacity - 1
        for (i, key) in keys.enumerated() {
            let h = Self.hash(key.string)
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] != 0 {
                let j = Int(slots[s] & 0xFFFF_FFFF) - 1
                if slots[s] >> 32 == h >> 32 && keys[j] == key { duplicates.append((i, j)); break }
                s = (s + 1) & mask
            }
            if slots[s] == 0 { slots[s] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(i + 1) }
        }
    }

    func index(of key: FeatureKey) -> Int? {
        let h = Self.hash(key.string)
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] != 0 {
            let j = Int(slots[s] & 0xFFFF_FFFF) - 1
            if slots[s] >> 32 == h >> 32 && keys[j] == key { return j }
            s = (s + 1) & mask
        }
        return nil
    }

    /// FNV-1a over the UTF-8 bytes, then mixed so the low bits (the slot) and the high bits
    /// (stored to skip most key comparisons) are both well spread.
    static func hash(_ string: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in string.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce5_e9b9
        return h ^ (h >> 32)
    }
}
