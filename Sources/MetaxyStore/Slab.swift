/// A column of the stale-set cache: values of its own, or lying in the cache file mapped
/// copy-on-write (`FileBytes(mappingPrivately:)`), so that ten million fingerprints load without
/// a copy and a status that changes ten thousand of them touches only their pages. A value type:
/// a slab sharing its mapping with a copy takes the values as its own before it changes one.
struct Slab<T>: RandomAccessCollection, MutableCollection {
    /// One mapped column, kept alive with the file it lies in.
    final class Region {
        let file: FileBytes
        let start: UnsafeMutablePointer<T>
        let count: Int

        init(file: FileBytes, start: UnsafeMutablePointer<T>, count: Int) {
            (self.file, self.start, self.count) = (file, start, count)
        }
    }

    private var owned: [T]
    private var region: Region?

    init(_ values: [T] = []) {
        owned = values
        region = nil
    }

    /// `count` values at `offset` of `file` (aligned for `T`, inside the file: checked by the reader).
    init(file: FileBytes, offset: Int, count: Int) where T: BitwiseCopyable {
        owned = []
        let start = UnsafeMutableRawPointer(mutating: file.bytes.baseAddress! + offset).assumingMemoryBound(to: T.self)
        region = Region(file: file, start: start, count: count)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { region?.count ?? owned.count }

    subscript(i: Int) -> T {
        get {
            guard let region else { return owned[i] }
            precondition(i >= 0 && i < region.count, "index out of range")
            return region.start[i]
        }
        set {
            guard region != nil else { return owned[i] = newValue }
            if !isKnownUniquelyReferenced(&region!) { own() }
            if let region {
                precondition(i >= 0 && i < region.count, "index out of range")
                region.start[i] = newValue
            } else {
                owned[i] = newValue
            }
        }
    }

    var array: [T] { region.map { Array(UnsafeBufferPointer(start: $0.start, count: $0.count)) } ?? owned }

    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<T>) throws -> R) rethrows -> R {
        guard let region else { return try owned.withUnsafeBufferPointer(body) }
        return try body(UnsafeBufferPointer(start: region.start, count: region.count))
    }

    /// The values to change in place, taken as this slab's own first when another copy shares them.
    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<T>) throws -> R) rethrows -> R {
        if region != nil, !isKnownUniquelyReferenced(&region!) { own() }
        guard let region else { return try owned.withUnsafeMutableBufferPointer { try body($0) } }
        return try body(UnsafeMutableBufferPointer(start: region.start, count: region.count))
    }

    mutating func append(_ value: T) {
        own()
        owned.append(value)
    }

    /// `other[range]` (all of it by default) in one copy, not value by value.
    mutating func append(contentsOf other: Slab, _ range: Range<Int>? = nil) {
        own()
        other.withUnsafeBufferPointer { owned.append(contentsOf: UnsafeBufferPointer(rebasing: $0[range ?? 0..<other.count])) }
    }

    mutating func reserveCapacity(_ n: Int) {
        own()
        owned.reserveCapacity(n)
    }

    /// The values copied out of the mapping, to grow or to change while another copy shares it.
    private mutating func own() {
        guard region != nil else { return }
        owned = array
        region = nil
    }
}

extension Slab: Equatable where T: Equatable {
    static func == (a: Slab, b: Slab) -> Bool { a.elementsEqual(b) }
}

/// A mapped region is written only through a slab holding the sole reference to it.
extension Slab: @unchecked Sendable where T: Sendable {}
