/// A spec the graph cannot be built from; the message names the feature and what is wrong.
public struct ProjectGraphError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
