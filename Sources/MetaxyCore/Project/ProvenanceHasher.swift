/// A hash as a 0.1.x store writes it: the algorithm's text (xxhash unsigned decimal, md5 hex),
/// then its first `truncation` characters (shorter texts stay whole).
public struct ProvenanceHasher: Sendable {
    public let algorithm: HashAlgorithm
    public let truncation: Int

    public init(algorithm: HashAlgorithm, truncation: Int) {
        self.algorithm = algorithm
        self.truncation = truncation
    }

    public func hash(_ text: String) -> String {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// Hashes bytes already assembled in a reused buffer: no String per hashed text.
    func hash(_ bytes: UnsafeRawBufferPointer) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        algorithm.appendDigest(of: bytes, to: &out)
        return String(decoding: out.prefix(truncation), as: UTF8.self)
    }

    func hash(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { hash($0) } }
}
