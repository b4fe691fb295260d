/// Many strings packed into one byte buffer, for sorting large key lists: comparing slices of
/// one buffer retains nothing, where comparing Swift strings retains and releases both each time.
struct StringTable {
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]

    init(_ strings: some Sequence<String>) {
        for string in strings {
            bytes.append(contentsOf: string.utf8)
            offsets.append(bytes.count)
        }
    }

    /// Whether every byte is `/` or above it and none is an upper-case letter or beyond ASCII.
    /// Then code point order, list order (`/` lowest), `key + "."` order and lower-case order
    /// all agree, and one sort serves them all: metaxy's keys are nearly always like this.
    var sortsOneWay: Bool {
        bytes.allSatisfy { $0 >= UInt8(ascii: "/") && $0 < 0x80 && !($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) }
    }

    /// The strings in lower case as Python's `str.lower` gives them: ASCII byte by byte,
    /// anything else through Unicode's lower-case mapping.
    init(lowercased strings: some Sequence<String>) {
        for string in strings {
            let start = bytes.count
            var ascii = true
            for byte in string.utf8 {
                if byte >= 0x80 { ascii = false; break }
                bytes.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
            }
            if !ascii {
                bytes.removeSubrange(start...)
                bytes.append(contentsOf: string.lowercased().utf8)
            }
            offsets.append(bytes.count)
        }
    }

    var count: Int { offsets.count - 1 }

    /// Indices in ascending order by `less` on the UTF-8 bytes; ties keep index order (stable).
    func sortedIndices(by less: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) -> [Int] {
        bytes.withUnsafeBufferPointer { all in
            offsets.withUnsafeBufferPointer { at in
                func slice(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: all[at[i]..<at[i + 1]]) }
                return (0..<count).sorted { less(slice($0), slice($1)) }
            }
        }
    }

    /// Code point order (Python's `str` order).
    static func codePointLess(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] { return a[i] < b[i] }
        return a.count < b.count
    }

    /// Python list order of `/`-joined keys: byte order with the separator below every other byte.
    static func listLess(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/")
        for i in 0..<min(a.count, b.count) where a[i] != b[i] {
            if a[i] == slash { return true }
            if b[i] == slash { return false }
            return a[i] < b[i]
        }
        return a.count < b.count
    }
}
