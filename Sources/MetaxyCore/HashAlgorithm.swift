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
        var out: [UInt8] = []
        appendDigest(of: bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the digest's text to `out` without making a String: stale sets hash millions of samples.
    public func appendDigest(of bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        switch self {
        case .xxhash64: Self.appendDecimal(XXHash.xxh64(bytes), to: &out)
        case .xxhash32: Self.appendDecimal(UInt64(XXHash.xxh32(bytes)), to: &out)
        case .md5: Self.appendHex(Insecure.MD5.hash(data: bytes), to: &out)
        case .sha256: Self.appendHex(SHA256.hash(data: bytes), to: &out)
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

    /// Two digits per division: stale sets write two digests per sample, millions of them.
    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, written backwards
        var n = value, start = 24
        withUnsafeMutableBytes(of: &digits) { buffer in
            twoDigits.withUnsafeBufferPointer { pairs in
                while n >= 100 {
                    let pair = Int(n % 100) * 2
                    n /= 100
                    start -= 2
                    buffer[start] = pairs[pair]
                    buffer[start + 1] = pairs[pair + 1]
                }
                if n >= 10 {
                    start -= 2
                    buffer[start] = pairs[Int(n) * 2]
                    buffer[start + 1] = pairs[Int(n) * 2 + 1]
                } else {
                    start -= 1
                    buffer[start] = UInt8(ascii: "0") + UInt8(n)
                }
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start...]).assumingMemoryBound(to: UInt8.self))
        }
    }

    /// "00" "01" … "99", each pair of digits at twice its value.
    private static let twoDigits: [UInt8] = (0..<100).flatMap { [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)] }

    private static func appendHex(_ digest: some Digest, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 0xF)])
        }
    }
}
