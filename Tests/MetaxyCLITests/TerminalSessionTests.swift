import Foundation
import TestSupport
import Testing

/// The real binary in a real terminal (tmux): what a person does, and the terminal left sane
/// however the program ends.
@Suite(.serialized) struct TerminalSessionTests {
    static let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path

    /// Starts the binary as the shell's only job (so Ctrl-Z stops just it); `exitStatus` prints
    /// `EXIT=N` afterwards. Markers are split in the typed text so only the output matches them.
    func launch(_ tmux: Tmux, _ arguments: String, environment: String = "") {
        tmux.run("clear")
        tmux.run("\(environment) '\(Binary.url.path)' \(arguments)")
    }

    func exitStatus(_ tmux: Tmux) -> String? {
        tmux.run("echo \"EXIT\"\"=$?\"")
        return tmux.wait(forText: "EXIT=")
    }

    /// Every terminal mode, as `stty -g` prints them (the whole of `stty -a`, in one line).
    func modes(_ tmux: Tmux) -> String {
        tmux.run("echo \"MODES<$(stty -g)>\"\"END\"")
        let screen = tmux.wait(forText: ">END") ?? tmux.capture()
        let line = screen.split(separator: "\n").last { $0.hasPrefix("MODES<") && $0.hasSuffix(">END") } ?? ""
        return String(line)
    }

    /// The shell's terminal modes are back: every one as before the program started, so line
    /// editing and echo are on.
    func expectSaneTerminal(_ tmux: Tmux, before: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let after = modes(tmux)
        #expect(!before.isEmpty && after == before, "stty -g before: \(before), after: \(after)\n\(tmux.capture())", sourceLocation: sourceLocation)
        tmux.run("stty -a | tr '\\n' ' ' | grep -o -- '-\\?icanon \\|-\\?echo \\|-\\?icrnl ' | tr -d '\\n'; echo ' STTY-''END'")
        let screen = tmux.wait(forText: "STTY-END") ?? tmux.capture()
        let line = screen.split(separator: "\n").last { $0.hasSuffix("STTY-END") && !$0.contains("grep") } ?? ""
        #expect(line.contains("icanon") && line.contains("echo") && line.contains("icrnl"), "\(screen)", sourceLocation: sourceLocation)
        #expect(!line.contains("-icanon") && !line.contains("-echo") && !line.contains("-icrnl"), "\(screen)", sourceLocation: sourceLocation)
    }

    @Test func browseFilterHelpResizeSuspendAndQuit() throws {
        let tmux = try Tmux(width: 120, height: 40)
        let before = modes(tmux)
        launch(tmux, "'\(Self.graph)'")
        #expect(tmux.wait(forText: "1 Features (4)") != nil, "first frame")
        tmux.send("k")
        #expect(tmux.wait(forText: "╭ 2 example/stt ") != nil, "k moves up")
        tmux.send("Tab")
        #expect(tmux.wait(forText: "Lineage of transcription") != nil, "Tab shows the field's lineage")
        tmux.send("Escape")
        tmux.send("/")
        tmux.send("cro", literal: true)
        #expect(tmux.wait(forText: "1 Features 1/4 “cro”") != nil, "incremental filter")
        tmux.send("Enter")
        #expect(tmux.wait(forText: "1 feature matches “cro”") != nil)
        tmux.send("Escape")
        #expect(tmux.wait(forText: "filter cleared") != nil)
        tmux.send("?")
        #expect(tmux.wait(forText: "Help — type to filter") != nil, "help overlay")
        tmux.send("Escape")
        #expect(tmux.wait { !$0.contains("Help — type to filter") } != nil, "Esc closes help at once")
        tmux.send(":")
        tmux.send("goto face", literal: true)
        tmux.send("Enter")
        #expect(tmux.wait(forText: "╭ 2 example/face_detection ") != nil, ":goto")

        tmux.resize(width: 50, height: 12)
        #expect(tmux.wait(forText: "╭ 1 Features (4) ────╮╭ 2 example/face_detection ") != nil, "50×12\n\(tmux.capture())")
        tmux.resize(width: 30, height: 8)
        #expect(tmux.wait(forText: "Terminal too small") != nil, "below 40×10")
        tmux.resize(width: 120, height: 40)
        #expect(tmux.wait { $0.contains("1 Features (4)") && $0.contains("╭ 2 example/face_detection ──────────") } != nil, "back to 120×40")

        tmux.send("C-z")
        #expect(tmux.wait(forText: "Stopped") != nil, "Ctrl-Z suspends to the shell")
        tmux.run("fg")
        #expect(tmux.wait { $0.contains("1 Features (4)") && !$0.contains("Stopped") } != nil, "fg resumes and repaints")
        tmux.send("j")
        #expect(tmux.wait(forText: "╭ 2 example/stt ") != nil, "keys work after resuming")

        tmux.send("q")
        #expect(exitStatus(tmux)?.contains("EXIT=0") == true, "q quits with status 0 and the shell prompt returns")
        expectSaneTerminal(tmux, before: before)
    }

    @Test(arguments: ["trap", "overflow"])
    func aCrashAfterStartUpLeavesTheTerminalRestored(fault: String) throws {
        // A stack overflow leaves no stack for the handler: it runs on the alternate signal stack.
        let tmux = try Tmux()
        let before = modes(tmux)
        launch(tmux, "'\(Self.graph)' --test-fault \(fault)")
        let screen = exitStatus(tmux)
        #expect(screen?.contains("internal error (crash); the terminal was restored") == true, "\(screen ?? "")")
        #expect(screen?.contains("EXIT=0") == false)
        expectSaneTerminal(tmux, before: before)
    }

    @Test(arguments: [("TERM", "143"), ("INT", "130")])
    func aSignalLeavesTheTerminalRestored(signal: String, status: String) throws {
        let tmux = try Tmux()
        let before = modes(tmux)
        let marker = "/tmp/metaxy-tui-sig\(signal)-\(UUID().uuidString.prefix(8)).json"
        try FileManager.default.copyItem(atPath: Self.graph, toPath: marker)
        defer { try? FileManager.default.removeItem(atPath: marker) }
        launch(tmux, "'\(marker)'")
        #expect(tmux.wait(forText: "1 Features (4)") != nil)
        Tmux.spawn(["pkill", "-\(signal)", "-f", marker], capture: false)
        let screen = exitStatus(tmux)
        #expect(screen?.contains("EXIT=\(status)") == true, "\(screen ?? "")")
        #expect(screen?.contains("stopped by a signal; the terminal was restored") == true)
        expectSaneTerminal(tmux, before: before)
    }

    /// `metaxy-tui` alone opens the demo workspace, marked as such; a small one is made first in
    /// a cache of the test's own (the 100,000-sample one is opened by the installed binary in
    /// Scripts/check-install.sh).
    @Test func noColorAndAnUnknownTerminal() throws {
        let cache = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cache) }
        #expect(try Binary.run(["demo", "--samples", "200"], environment: ["XDG_CACHE_HOME": cache.path]).status == 0)
        let tmux = try Tmux()
        let before = modes(tmux)
        launch(tmux, "", environment: "XDG_CACHE_HOME='\(cache.path)' NO_COLOR=1")
        let screen = tmux.wait(forText: "1 Features (25)") ?? tmux.capture()
        #expect(screen.contains("demo: pipeline.yaml"), "the status bar says it is the demo: \(screen)")
        let colours = tmux.capture(escapes: true)
        #expect(colours.contains("\u{1B}[7m") || colours.contains(";7m"), "the selection shows in reverse video")
        #expect(!colours.contains("38;5;") && !colours.contains("38;2;"), "no colour under NO_COLOR")
        tmux.send("q")
        #expect(exitStatus(tmux)?.contains("EXIT=0") == true)

        let empty = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: empty) }
        launch(tmux, "", environment: "XDG_CACHE_HOME='\(empty.path)' TERM=no-such-terminal")
        let refused = exitStatus(tmux)
        #expect(refused?.contains("the terminal type 'no-such-terminal' has no terminfo entry") == true, "\(refused ?? "")")
        #expect(refused?.contains("EXIT=1") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty, "no demo made for a terminal that cannot show it")
        expectSaneTerminal(tmux, before: before)
    }

    @Test func pickTwoSnapshotsOfAStoreAndWalkTheChanges() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("s.db").path
        let v2 = Fixtures.vectors.appendingPathComponent("graphs/video_audio_v2.json").path
        #expect(try Binary.run(["store", "push", store, "--graph", Self.graph]).status == 0)
        #expect(try Binary.run(["store", "push", store, "--graph", v2]).status == 0)
        let tmux = try Tmux()
        let before = modes(tmux)
        launch(tmux, "'\(v2)' --store '\(store)'")
        #expect(tmux.wait(forText: "1 Features (4)") != nil)
        tmux.send("d")
        #expect(tmux.wait(forText: "s.db@8468950d → video_audio_v2.json@980943fb  3 changed") != nil,
                "the file is the latest snapshot: it is compared with the snapshot before")
        tmux.send("p")
        #expect(tmux.wait(forText: "Pick the OLD side") != nil)
        #expect(tmux.wait(forText: "snapshot 1 of 2  8468950d · 4 features") != nil, "each side with its place and size")
        tmux.send("Enter")
        #expect(tmux.wait(forText: "Pick the NEW side; old: snapshot 1 of 2") != nil, "OLD started on the snapshot before NEW")
        tmux.send("Enter")
        #expect(tmux.wait(forText: "s.db@8468950d → s.db@980943fb  3 changed  0 added  0 removed  1 unchanged") != nil)
        tmux.send("n")
        #expect(tmux.wait(forText: "example/video.audio: code_version 1 → 2") != nil, "the why panel names the cause")
        tmux.send("n")
        tmux.send("n")
        #expect(tmux.wait(forText: "example/stt.transcription  ~ changed") != nil)
        tmux.send("c")
        #expect(tmux.wait(forText: "· changes only") != nil)
        tmux.send("q")
        #expect(exitStatus(tmux)?.contains("EXIT=0") == true)
        expectSaneTerminal(tmux, before: before)
    }

    @Test func graphDiffIsColouredOnATerminalOnly() throws {
        let tmux = try Tmux()
        let v2 = Fixtures.vectors.appendingPathComponent("graphs/video_audio_v2.json").path
        launch(tmux, "graph diff '\(Self.graph)' '\(v2)'")
        #expect(tmux.wait(forText: "example/video (changed)") != nil)
        let coloured = tmux.capture(escapes: true)
        #expect(coloured.contains("\u{1B}[33m~"), "a yellow ~ for a change")
        launch(tmux, "graph diff '\(Self.graph)' '\(v2)'", environment: "NO_COLOR=1")
        #expect(tmux.wait(forText: "example/video (changed)") != nil)
        #expect(!tmux.capture(escapes: true).contains("\u{1B}[33m"))
    }

    @Test func dagPanFocusAndFieldLineage() throws {
        let tmux = try Tmux()
        let before = modes(tmux)
        launch(tmux, "'\(Self.graph)'")
        #expect(tmux.wait(forText: "1 Features (4)") != nil)
        tmux.send("D")
        #expect(tmux.wait(forText: "4 features · whole graph · keys and versions") != nil, "the DAG screen")
        tmux.send("z")
        #expect(tmux.wait(forText: "· frames 794116") != nil, "zoomed in to fields")
        tmux.send("f")
        tmux.send("f")
        #expect(tmux.wait(forText: "lineage of example/video.frames") != nil)
        tmux.send("j")
        tmux.send("l")
        tmux.send("Home")
        tmux.send("o")
        #expect(tmux.wait(forText: "focus example/video: 0 up, 1 down") != nil)
        tmux.send("Tab")
        tmux.send("Enter")
        #expect(tmux.wait { $0.contains("1 Features (4)") && !$0.contains("whole graph") } != nil, "Enter opens the Graph screen")
        tmux.send("q")
        #expect(exitStatus(tmux)?.contains("EXIT=0") == true)
        expectSaneTerminal(tmux, before: before)
    }

    /// A store of 1,000,000 root and 1,000,000 crop rows, the first 1,000 roots then rewritten:
    /// page to the end, filter the changed samples, ask why, quit.
    @Test func aMillionRowStore() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = dir.appendingPathComponent("g.yaml"), store = dir.appendingPathComponent("s.db").path
        try Workload.graphYAML.write(to: graph, atomically: true, encoding: .utf8)
        func rows(_ name: String, _ range: Range<Int>, _ line: (Int) -> String) throws -> String {
            let file = dir.appendingPathComponent("\(name).jsonl")
            try range.map(line).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
        let roots = try rows("roots", 0..<1_000_000) { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}" }
        let crop = try rows("crop", 0..<1_000_000) { "{\"sample_uid\": \($0)}" }
        let changed = try rows("changed", 0..<1_000) { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)-v2\", \"frames\": \"f\($0)\"}}" }
        #expect(try Binary.run(["store", "push", store, "--graph", graph.path]).status == 0)
        for (feature, input) in [("example/video", roots), ("example/crop", crop), ("example/video", changed)] {
            let result = try Binary.run(["store", "write", store, feature, "--graph", graph.path, "--input", input])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let tmux = try Tmux()
        let before = modes(tmux)
        launch(tmux, "'\(store)'")
        #expect(tmux.wait(forText: "1 Features (2)") != nil)
        tmux.send("S")
        // One wait for sample 0's row in any state: waiting for one glyph, then another, let the
        // stale sets finish (sample 0 then `~`) while the first wait ran out.
        #expect(tmux.wait(for: { screen in ["│? 0 ", "│✓ 0 ", "│~ 0 "].contains { screen.contains($0) } }) != nil, "the first page comes at once")
        #expect(tmux.wait(timeout: 240, forText: "stale sets computed for every feature") != nil)
        let cropRow = tmux.capture().split(separator: "\n").first { $0.contains("example/crop") && $0.contains("1000000") } ?? ""
        #expect(cropRow.contains(" ~1000 ") && !cropRow.contains("+") && !cropRow.contains(" -"), "crop: 1,000 changed, nothing else: \(cropRow)")
        tmux.send("Tab")
        tmux.send("G")
        #expect(tmux.wait(forText: "999999") != nil, "G pages to the end")
        tmux.send("f")
        #expect(tmux.wait(forText: "Samples · changed") != nil)
        #expect(tmux.wait(forText: "~ 0 ") != nil, "the changed samples")
        tmux.send("w")
        #expect(tmux.wait(forText: "why example/crop sample 0") != nil)
        tmux.send("q")
        #expect(exitStatus(tmux)?.contains("EXIT=0") == true)
        expectSaneTerminal(tmux, before: before)
    }
}
