import MetaxyCore

/// A line typed after `:`. The verbs mirror the CLI's so what works in one works in the other.
enum PromptCommand: Equatable, Sendable {
    case quit
    case theme(String?)
    case goto(String)
    case export(format: String, path: String)
    case reload
    case help
    case mode(FeatureList.Mode)
    case diff(old: String, new: String)
    case open(String)
    case sample(SampleUID)

    static let exportFormats = ["mermaid", "dot", "json"]
    static let usage = "commands: q, theme [NAME], goto KEY, export mermaid|dot|json FILE, diff OLD NEW, open PATH, sample UID, reload, tree, flat, help"

    static func parse(_ line: String) -> Result<PromptCommand, PromptProblem> {
        let words = line.split(separator: " ").map(String.init)
        guard let verb = words.first else { return .failure(PromptProblem(usage)) }
        let args = Array(words.dropFirst())
        switch (verb, args.count) {
        case ("q", 0), ("quit", 0), ("q!", 0): return .success(.quit)
        case ("theme", 0): return .success(.theme(nil))
        case ("theme", 1): return .success(.theme(args[0]))
        case ("goto", 1...), ("g", 1...): return .success(.goto(args.joined(separator: " ")))
        case ("export", 2) where exportFormats.contains(args[0]): return .success(.export(format: args[0], path: args[1]))
        case ("export", _):
            return .failure(PromptProblem("export takes a format (mermaid, dot or json) and a file: export mermaid graph.mmd"))
        case ("reload", 0), ("e", 0): return .success(.reload)
        case ("help", 0), ("h", 0): return .success(.help)
        case ("tree", 0): return .success(.mode(.tree))
        case ("flat", 0): return .success(.mode(.flat))
        case ("goto", 0), ("g", 0): return .failure(PromptProblem("goto takes a feature key, e.g. goto example/video"))
        case ("diff", 2): return .success(.diff(old: args[0], new: args[1]))
        case ("open", 1...), ("o", 1...): return .success(.open(args.joined(separator: " ")))
        case ("sample", 1), ("s", 1): return .success(.sample(SampleUID(argument: args[0])))
        case ("sample", _), ("s", _): return .failure(PromptProblem("sample takes one sample_uid: sample 123"))
        case ("open", 0): return .failure(PromptProblem("open takes a graph file, a store or STORE@SNAPSHOT"))
        case ("diff", _): return .failure(PromptProblem("diff takes two graphs: diff OLD NEW (files, stores, STORE@SNAPSHOT)"))
        default: return .failure(PromptProblem("unknown command “\(line)”; \(usage)"))
        }
    }
}

struct PromptProblem: Error, Equatable, Sendable {
    let message: String
    init(_ message: String) { self.message = message }
}
