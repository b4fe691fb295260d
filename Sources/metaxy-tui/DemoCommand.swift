import ArgumentParser
import Foundation
import MetaxyTUI

/// `metaxy-tui demo [--out DIR]`: the demo workspace as files a user can keep and change.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write the demo workspace: a 25-feature pipeline, its three snapshots and a store of 100,000 samples.",
        discussion: "Without --out the workspace `metaxy-tui` opens by default is made (once) in "
            + "$XDG_CACHE_HOME/metaxy-tui/demo, and its place is printed.")

    @Option(help: "An empty or new directory to write the workspace into.")
    var out: String?

    @Option(help: "How many videos the store holds (at least 100).")
    var samples = DemoWorkspace.samples

    func validate() throws {
        guard samples >= 100 else { throw ValidationError("--samples must be at least 100, not \(samples)") }
    }

    func run() throws {
        let bar = ProgressBar()
        Interrupt.install(graceful: false)
        let note = { (text: String) in bar.clear(); CLI.note(text) }
        let directory = try CLI.run(bar) { () throws -> String in
            guard let out else {
                return try DemoWorkspace.prepared(environment: ProcessInfo.processInfo.environment, samples: samples, progress: note,
                                                  work: bar.progress)
            }
            try DemoWorkspace.create(at: out, samples: samples, progress: note, work: bar.progress)
            return out
        }
        CLI.write(directory + "\n")
        CLI.note("""
            Open it:  metaxy-tui \(directory)/\(DemoWorkspace.pipelineFile) --store \(directory)/\(DemoWorkspace.storeFile)
            Its snapshots: \(directory)/snapshots/ (diff two with `metaxy-tui graph diff OLD NEW`)
            """)
    }
}
