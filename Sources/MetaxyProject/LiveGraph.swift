import Foundation
import MetaxyCore

/// A project's live graph, exported by the project's own Python (`ExportScript`) and read with
/// the snapshot reader every graph file goes through.
public enum LiveGraph {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }


    /// `--python PATH`, else `$VIRTUAL_ENV/bin/python`, else `.venv/bin/python` beside the config
    /// file, else `python3` from the PATH.
    public static func interpreter(explicit: String?, config: ProjectConfig, environment: [String: String]) -> String {
        if let explicit { return explicit }
        if let venv = environment["VIRTUAL_ENV"], !venv.isEmpty { return venv + "/bin/python" }
        let local = config.root + "/.venv/bin/python"
        if FileManager.default.isExecutableFile(atPath: local) { return local }
        return "python3"
    }

    /// The export's command line (no shell): python, the script, the project's root and the
    /// directory the config was found from.
    public static func command(config: ProjectConfig, python: String) -> [String] {
        [python, "-c", ExportScript.source, config.root, config.workingDirectory]
    }

    public static func export(config: ProjectConfig, python: String, environment: [String: String],
                              timeout: Double = 30) throws(Failure) -> FeatureGraph {
        let output: ProcessRunner.Output
        do {
            output = try ProcessRunner.run(command(config: config, python: python), environment: environment, timeout: timeout)
        } catch {
            let reason = { if case .cannotStart(_, let e) = error { String(cString: strerror(e)) } else { "" } }()
            throw Failure(description: "no Python at \(python) (\(reason)); "
                + "give the project's interpreter with --python PATH, or activate its virtualenv")
        }
        if output.timedOut {
            throw Failure(description: "exporting the graph with \(python) took longer than \(Int(timeout)) s and was stopped; "
                + "--python-timeout SECONDS allows more")
        }
        let stderr = String(decoding: output.stderr, as: UTF8.self)
        if output.status == ExportScript.missingMetaxy {
            throw Failure(description: "metaxy is not installed for \(python): \(python) -m pip install metaxy==0.0.0")
        }
        guard output.status == 0 else { throw Failure(description: traceback(stderr, root: config.root)) }
        if output.stdout.first == UInt8(ascii: "{") { return try projectGraph(output.stdout, python: python) }
        do {
            // A list of specs in registration order: the graph keeps it as its declaration order.
            return try GraphFileParser.graph(output.stdout, file: "the graph exported by \(python)")
        } catch {
            throw Failure(description: "the graph exported by \(python) cannot be read: \(error)")
        }
    }

    /// metaxy 0.1.x's export: the project's features as a push would record them, versioned by 0.1.x's rules.
    static func projectGraph(_ bytes: [UInt8], python: String) throws(Failure) -> FeatureGraph {
        let source = "the graph exported by \(python)"
        guard let export = JSONValue.parse(bytes), case .string(let project)? = export["project"],
              case .int(let truncation)? = export["hash_truncation_length"], case .array(let features)? = export["features"] else {
            throw Failure(description: "\(source) cannot be read: not the project object metaxy-tui's export script prints")
        }
        let specs = features.map { feature -> (spec: String, schema: String?, classPath: String?) in
            func text(_ key: String) -> String? { if case .string(let s)? = feature[key] { s } else { nil } }
            return (text("spec") ?? "", text("schema"), text("class_path"))
        }
        do {
            return try ProjectGraph(project: project, specs: specs).featureGraph(truncation: truncation, source: source)
        } catch let error as ProjectGraphError {
            throw Failure(description: "\(source) cannot be read: \(error.description)")
        } catch {
            throw Failure(description: "\(source) cannot be read: \(error)")
        }
    }

    /// The end of a traceback: the last place in the user's code (`file:line`, from the project's
    /// root) and the error, without metaxy's wrapper around an entrypoint's own error.
    static func traceback(_ text: String, root: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        guard var error = lines.last else { return "the project's Python exited without saying why" }
        if let wrapped = error.firstMatch(of: /EntrypointLoadError: (?:Error loading|Failed to import) entrypoint module '[^']*': (.*)/) {
            // The entrypoint's own error, with its type, stands earlier in the chained traceback.
            let message = String(wrapped.1)
            error = lines.dropLast().last { $0.hasSuffix(": " + message) && !$0.hasPrefix(" ") } ?? message
        }
        let places = lines.compactMap { line -> String? in
            guard let match = line.firstMatch(of: /File "([^"]+)", line (\d+)/) else { return nil }
            let file = String(match.1)
            return (file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file) + ":\(match.2)"
        }
        // The user's code: not metaxy's, not Python's, not the export script itself.
        let ours = places.filter { !$0.contains("/site-packages/") && !$0.contains("<frozen") && !$0.hasPrefix("<string>") }
        let place = ours.last { !$0.hasPrefix("/") } ?? ours.last
        return [place, error].compactMap { $0 }.joined(separator: ": ")
    }
}
