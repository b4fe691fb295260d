import Crypto

/// The hash a store uses for per-sample data versions, with metaxy's output format (reference §5.3):
/// xxhash as an unsigned decimal string, md5 and sha256 as lowercase hex.
public enum HashAlgorithm: String, CaseIterable, Sendable {
    case xxhash64, xxhash32, md5, sha256

    public func digest(_ text: String) -> String {
        var text = text
        return text.withUTF8 { digest(UnsafeRawBufferPointer($0)) }
    }

    public func digest(_ bytes: UnsafeRawBufferPointer) -> String {
        switch self {
        case .xxhash64: String(XXHash.xxh64(bytes))
        case .xxhash32: String(XXHash.xxh32(bytes))
        case .md5: Self.hex(Insecure.MD5.hash(data: bytes))
        case .sha256: Self.hex(SHA256.hash(data: bytes))
        }
    }

    /// What stored non-root data versions reveal (DESIGN §4): all digits is xxhash64, 32 hex
    /// characters md5, 64 sha256; nil when the values say nothing.
    public static func detect(from values: some Sequence<String>) -> HashAlgorithm? {
        for value in values where !value.isEmpty {
            let utf8 = value.utf8
            if utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return .xxhash64 }
            let hex = utf8.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
            if hex && utf8.count == 32 { return .md5 }
            if hex && utf8.count == 64 { return .sha256 }
        }
        return nil
    }

    private static func hex(_ digest: some Digest) -> String {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
