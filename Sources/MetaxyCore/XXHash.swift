/// XXH64 and XXH32 with seed 0, as Python's `xxhash.xxh64_intdigest` / `xxh32_intdigest` and
/// polars-hash compute them (reference §5.3). libxxhash is not on the machines this builds on,
/// and the algorithm is short and fixed by its specification.
enum XXHash {
    private static let p64: (UInt64, UInt64, UInt64, UInt64, UInt64) = (
        0x9E37_79B1_85EB_CA87, 0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63, 0x27D4_EB2F_1656_67C5)
    private static let p32: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x9E37_79B1, 0x85EB_CA77, 0xC2B2_AE3D, 0x27D4_EB2F, 0x1656_67B1)

    static func xxh64(_ input: UnsafeRawBufferPointer) -> UInt64 {
        let (p1, p2, p3, p4, p5) = p64
        func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 { rotl(acc &+ lane &* p2, 31) &* p1 }
        func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 { (acc ^ round(0, v)) &* p1 &+ p4 }
        let n = input.count
        var i = 0
        var h: UInt64
        if n >= 32 {
            var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4 = 0 &- p1
            while i + 32 <= n {
                v1 = round(v1, load64(input, i))
                v2 = round(v2, load64(input, i + 8))
                v3 = round(v3, load64(input, i + 16))
                v4 = round(v4, load64(input, i + 24))
                i += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(merge(merge(merge(h, v1), v2), v3), v4)
        } else {
            h = p5
        }
        h &+= UInt64(n)
        while i + 8 <= n {
            h = rotl(h ^ round(0, load64(input, i)), 27) &* p1 &+ p4
            i += 8
        }
        if i + 4 <= n {
            h = rotl(h ^ (UInt64(load32(input, i)) &* p1), 23) &* p2 &+ p3
            i += 4
        }
        while i < n {
            h = rotl(h ^ (UInt64(input[i]) &* p5), 11) &* p1
            i += 1
        }
        h ^= h >> 33; h &*= p2
        h ^= h >> 29; h &*= p3
        return h ^ (h >> 32)
    }

    static func xxh32(_ input: UnsafeRawBufferPointer) -> UInt32 {
        let (p1, p2, p3, p4, p5) = p32
        func round(_ acc: UInt32, _ lane: UInt32) -> UInt32 { rotl(acc &+ lane &* p2, 13) &* p1 }
        let n = input.count
        var i = 0
        var h: UInt32
        if n >= 16 {
            var v1 = p1 &+ p2, v2 = p2, v3: UInt32 = 0, v4 = 0 &- p1
            while i + 16 <= n {
                v1 = round(v1, load32(input, i))
                v2 = round(v2, load32(input, i + 4))
                v3 = round(v3, load32(input, i + 8))
                v4 = round(v4, load32(input, i + 12))
                i += 16
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
        } else {
            h = p5
        }
        h &+= UInt32(truncatingIfNeeded: n)
        while i + 4 <= n {
            h = rotl(h &+ load32(input, i) &* p3, 17) &* p4
            i += 4
        }
        while i < n {
            h = rotl(h &+ UInt32(input[i]) &* p5, 11) &* p1
            i += 1
        }
        h ^= h >> 15; h &*= p2
        h ^= h >> 13; h &*= p3
        return h ^ (h >> 16)
    }

    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    private static func rotl(_ x: UInt32, _ r: UInt32) -> UInt32 { (x << r) | (x >> (32 - r)) }
    private static func load64(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }
    private static func load32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
    }
}

/// A 64-bit fingerprint of bytes (XXH64): to notice that cached bytes changed, not to version them.
public func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 { XXHash.xxh64(bytes) }
