/// A problem with a store file, said with the file and what to do; the CLI exits 1 with it.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let message: String

    /// A store URL's password, wherever it is quoted, is shown as `***`.
    public init(file: String, _ message: String) {
        self.file = PostgresURL.hidingPasswords(inText: file)
        self.message = PostgresURL.hidingPasswords(inText: message)
    }

    public var description: String { "error: \(file): \(message)" }
}
