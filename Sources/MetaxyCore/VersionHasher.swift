import Crypto
import Dispatch
import Foundation
import Synchronization

/// Reference §3: field, feature and snapshot versions, parents before children. Versions are kept
/// as hex bytes in flat buffers and fed to the next hash from there, with no string per version.
/// Two workers take features in topological order, each waiting (briefly) for a feature's
/// dependencies to be done: graphs are too deep for depth-by-depth parallelism to pay.
struct VersionHasher {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)
    /// Graphs smaller than this are hashed on one thread: starting workers costs more.
    static let parallelThreshold = 2_000

    let specs: [FeatureSpec]
    let fieldBase: [Int]
    let parentStart: [Int]
    let parentIDs: [Int32]
    /// Each feature's fields by key string, as global ids (§3.2).
    let sortedFields: [Int32]

    /// `listOrder`: the features sorted as key lists, when known already.
    func hash(keys: [FeatureKey], upstream: [[Int]], order: [Int], listOrder: [Int]?) -> (fields: [UInt8], features: [UInt8], snapshot: String) {
        var fields = [UInt8](repeating: 0, count: (fieldBase.last ?? 0) * 64)
        var features = [UInt8](repeating: 0, count: specs.count * 64)
        fields.withUnsafeMutableBufferPointer { fieldOut in
            features.withUnsafeMutableBufferPointer { featureOut in
                let work = Work(self, upstream: upstream, order: order, fields: fieldOut, features: featureOut)
                let workers = order.count < Self.parallelThreshold || Self.isChainLike(upstream: upstream, order: order) ? 1 : 2
                DispatchQueue.concurrentPerform(iterations: workers) { _ in work.run(self) }
            }
        }
        guard !specs.isEmpty else { return (fields, features, "empty") }
        var input: [UInt8] = []
        for f in listOrder ?? StringTable(keys.lazy.map(\.string)).sortedIndices(by: StringTable.listLess) {
            input.append(contentsOf: keys[f].string.utf8)
            input.append(contentsOf: features[(f * 64)..<(f * 64 + 64)])
        }
        var snapshot = [UInt8](repeating: 0, count: 64)
        snapshot.withUnsafeMutableBufferPointer { Self.write(Self.digest(input), into: $0, at: 0) }
        return (fields, features, String(decoding: snapshot, as: UTF8.self))
    }

    /// Whether the graph is so deep that a second worker would mostly wait (a long chain).
    static func isChainLike(upstream: [[Int]], order: [Int]) -> Bool {
        FeatureGraph.longestChain(upstream: upstream, order: order) * 4 > order.count
    }

    /// What the workers share, as raw buffers: arrays would be retained and released by both
    /// workers, and that shared reference count is slower than the hashing. Each feature's slots
    /// are written by the one worker that took it, and read by others only after its done flag.
    final class Work: @unchecked Sendable {
        let fields: UnsafeMutableBufferPointer<UInt8>
        let features: UnsafeMutableBufferPointer<UInt8>
        let fieldBase: UnsafeMutableBufferPointer<Int>
        let parentStart: UnsafeMutableBufferPointer<Int>
        let parentIDs: UnsafeMutableBufferPointer<Int32>
        let sortedFields: UnsafeMutableBufferPointer<Int32>
        let order: UnsafeMutableBufferPointer<Int>
        let upstreamStart: UnsafeMutableBufferPointer<Int>
        let upstream: UnsafeMutableBufferPointer<Int>
        let done: UnsafeMutablePointer<Atomic<Bool>>
        let count: Int
        let next = Atomic<Int>(0)

        init(_ hasher: VersionHasher, upstream: [[Int]], order: [Int],
             fields: UnsafeMutableBufferPointer<UInt8>, features: UnsafeMutableBufferPointer<UInt8>) {
            func copy<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
                let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
                _ = buffer.initialize(from: array)
                return buffer
            }
            self.fields = fields
            self.features = features
            fieldBase = copy(hasher.fieldBase)
            parentStart = copy(hasher.parentStart)
            parentIDs = copy(hasher.parentIDs)
            sortedFields = copy(hasher.sortedFields)
            self.order = copy(order)
            var starts = [0]
            for ups in upstream { starts.append(starts.last! + ups.count) }
            upstreamStart = copy(starts)
            self.upstream = copy(upstream.flatMap { $0 })
            count = upstream.count
            done = .allocate(capacity: max(count, 1))
            for i in 0..<count { (done + i).initialize(to: Atomic(false)) }
        }

        deinit {
            for buffer in [fieldBase, parentStart, order, upstreamStart, upstream] { buffer.deallocate() }
            parentIDs.deallocate()
            sortedFields.deallocate()
            done.deinitialize(count: count)
            done.deallocate()
        }

        /// Takes the next feature in topological order until none is left. Its dependencies come
        /// earlier in that order and were taken already, so waiting for them always ends.
        func run(_ hasher: VersionHasher) {
            var input: [UInt8] = []
            while true {
                let n = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard n < count else { return }
                let f = order[n]
                for u in upstream[upstreamStart[f]..<upstreamStart[f + 1]] {
                    while !(done + u).pointee.load(ordering: .acquiring) { sched_yield() }
                }
                hasher.hashFeature(f, self, input: &input)
                (done + f).pointee.store(true, ordering: .releasing)
            }
        }
    }

    /// One feature's field versions, then its feature version (fields sorted by key string, §3.2).
    /// Each hash input is assembled in one reusable buffer and hashed in one call: swift-crypto's
    /// per-call overhead is larger than hashing a few hundred bytes.
    fileprivate func hashFeature(_ f: Int, _ out: Work, input: inout [UInt8]) {
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
