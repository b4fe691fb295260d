import Crypto
import Dispatch

/// Reference §3: field, feature and snapshot versions, parents before children. Versions are kept
/// as hex bytes in flat buffers and fed to the next hash from there, with no string per version.
/// Features at the same depth do not read each other, so each depth is hashed on all cores.
struct VersionHasher {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)
    /// Below this many features a depth is hashed on one thread: handing work out costs more.
    static let parallelThreshold = 64

    let specs: [FeatureSpec]
    let fieldBase: [Int]
    let parentStart: [Int]
    let parentIDs: [Int32]
    /// Each feature's fields by key string, as global ids (§3.2).
    let sortedFields: [Int32]

    func hash(keys: [FeatureKey], upstream: [[Int]], order: [Int]) -> (fields: [UInt8], features: [UInt8], snapshot: String) {
        var fields = [UInt8](repeating: 0, count: (fieldBase.last ?? 0) * 64)
        var features = [UInt8](repeating: 0, count: specs.count * 64)
        fields.withUnsafeMutableBufferPointer { fieldOut in
            features.withUnsafeMutableBufferPointer { featureOut in
              fieldBase.withUnsafeBufferPointer { base in
                parentStart.withUnsafeBufferPointer { start in
                  parentIDs.withUnsafeBufferPointer { ids in
                    sortedFields.withUnsafeBufferPointer { sorted in
                let out = Output(fields: fieldOut, features: featureOut, fieldBase: base, parentStart: start,
                                 parentIDs: ids, sortedFields: sorted)
                for level in Self.levels(upstream: upstream, order: order) {
                    let chunks = level.count < Self.parallelThreshold ? 1 : 2
                    let work = { @Sendable (chunk: Int) in
                        var input: [UInt8] = []
                        for f in stride(from: chunk, to: level.count, by: chunks) {
                            hashFeature(level[f], out, input: &input)
                        }
                    }
                    if chunks == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: work) }
                }
                    }
                  }
                }
              }
            }
        }
        guard !specs.isEmpty else { return (fields, features, "empty") }
        var input: [UInt8] = []
        for f in StringTable(keys.lazy.map(\.string)).sortedIndices(by: StringTable.listLess) {
            input.append(contentsOf: keys[f].string.utf8)
            input.append(contentsOf: features[(f * 64)..<(f * 64 + 64)])
        }
        var snapshot = [UInt8](repeating: 0, count: 64)
        snapshot.withUnsafeMutableBufferPointer { Self.write(Self.digest(input), into: $0, at: 0) }
        return (fields, features, String(decoding: snapshot, as: UTF8.self))
    }

    /// What the workers of one depth share, as raw buffers: each writes only its own features'
    /// slots and reads only slots of earlier depths, finished before the depth started. Arrays would
    /// be retained and released by every worker, and that shared reference count is slower than the hashing.
    struct Output: @unchecked Sendable {
        let fields: UnsafeMutableBufferPointer<UInt8>
        let features: UnsafeMutableBufferPointer<UInt8>
        let fieldBase: UnsafeBufferPointer<Int>
        let parentStart: UnsafeBufferPointer<Int>
        let parentIDs: UnsafeBufferPointer<Int32>
        let sortedFields: UnsafeBufferPointer<Int32>
    }

    /// Features grouped by depth (roots first); every dependency sits in an earlier group.
    static func levels(upstream: [[Int]], order: [Int]) -> [[Int]] {
        var depth = [Int](repeating: 0, count: upstream.count)
        var levels: [[Int]] = []
        for f in order {
            let d = upstream[f].reduce(0) { max($0, depth[$1] + 1) }
            depth[f] = d
            if d == levels.count { levels.append([]) }
            levels[d].append(f)
        }
        return levels
    }

    /// One feature's field versions, then its feature version (fields sorted by key string, §3.2).
    /// Each hash input is assembled in one reusable buffer and hashed in one call: swift-crypto's
    /// per-call overhead is larger than hashing a few hundred bytes.
    private func hashFeature(_ f: Int, _ out: Output, input: inout [UInt8]) {
        let base = out.fieldBase[f]
        let key = specs[f].key.string
        let specFields = specs[f].fields
        for k in specFields.indices {
            let id = base + k
            input.removeAll(keepingCapacity: true)
            input.append(contentsOf: key.utf8)
            input.append(UInt8(ascii: "."))
            input.append(contentsOf: specFields[k].key.string.utf8)
            input.append(contentsOf: String(specFields[k].codeVersion).utf8)
            for p in out.parentIDs[out.parentStart[id]..<out.parentStart[id + 1]] {
                input.append(contentsOf: UnsafeBufferPointer(rebasing: out.fields[(Int(p) * 64)..<(Int(p) * 64 + 64)]))
            }
            Self.write(Self.digest(input), into: out.fields, at: id)
        }
        input.removeAll(keepingCapacity: true)
        for id in out.sortedFields[base..<out.fieldBase[f + 1]] {
            input.append(contentsOf: specFields[Int(id) - base].key.string.utf8)
            input.append(contentsOf: UnsafeBufferPointer(rebasing: out.fields[(Int(id) * 64)..<(Int(id) * 64 + 64)]))
        }
        Self.write(Self.digest(input), into: out.features, at: f)
    }

    static func digest(_ input: [UInt8]) -> SHA256.Digest {
        input.withUnsafeBytes { SHA256.hash(data: $0) }
    }

    static func write(_ digest: SHA256.Digest, into out: UnsafeMutableBufferPointer<UInt8>, at slot: Int) {
        digest.withUnsafeBytes { bytes in
            digits.withUnsafeBufferPointer { hex in
                var i = slot * 64
                for byte in bytes {
                    out[i] = hex[Int(byte >> 4)]
                    out[i + 1] = hex[Int(byte & 0x0F)]
                    i += 2
                }
            }
        }
    }
}
