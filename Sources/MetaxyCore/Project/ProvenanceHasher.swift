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

    func hash(_ bytes: UnsafeRawBufferPointer) -> String {
        var scratch: [UInt8] = []
        return hash(bytes, scratch: &scratch)
    }

    func hash(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { hash($0) } }

    /// Hashes bytes assembled in a reused buffer, the digest text going through reused `scratch`:
    /// expected rows hash millions of texts.
    func hash(_ bytes: [UInt8], scratch: inout [UInt8]) -> String {
        bytes.withUnsafeBytes { hash($0, scratch: &scratch) }
    }

    private func hash(_ bytes: UnsafeRawBufferPointer, scratch: inout [UInt8]) -> String {
        scratch.removeAll(keepingCapacity: true)
        algorithm.appendDigest(of: bytes, to: &scratch)
        return String(decoding: scratch.prefix(truncation), as: UTF8.self)
    }
}
