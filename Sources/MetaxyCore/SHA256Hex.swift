import Crypto

/// SHA-256 over UTF-8 strings fed one after another with no separator, as metaxy's `update()` calls,
/// returned as 64 lowercase hex characters.
struct SHA256Hex {
    private var hasher = SHA256()

    mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    consuming func finalize() -> String {
        let digest = hasher.finalize()
        return String(unsafeUninitializedCapacity: 64) { buffer in
            let hex = Array("0123456789abcdef".utf8)
            var i = 0
            for byte in digest {
                buffer[i] = hex[Int(byte >> 4)]
                buffer[i + 1] = hex[Int(byte & 0x0F)]
                i += 2
            }
            return 64
        }
    }

    static func hex(_ parts: String...) -> String {
        var h = SHA256Hex()
        for part in parts { h.update(part) }
        return h.finalize()
    }
}
