import Foundation
import MetaxyCore
@testable import MetaxyTUI
import TerminalKit
import TestSupport
import Testing

/// Keys replayed through `update`, asserting on the state a user would see.
@Suite struct NavigationTests {
    func selected(_ state: AppState) -> String? { state.graphScreen.selectedRow.map { $0.feature == nil ? $0.path + "/" : $0.path } }

    @Test func startsOnTheFirstFeatureInDependencyOrder() throws {
        let state = try Harness.replay("")
        #expect(selected(state) == "example/video")
        #expect(state.graphScreen.rows.map(\.path) == ["example", "example/crop", "example/face_detection", "example/stt", "example/video"])
    }

    @Test func movesWithVimKeysAndArrows() throws {
        #expect(try selected(Harness.replay("k")) == "example/stt")
        #expect(try selected(Harness.replay("<Up><Up>")) == "example/face_detection")
        #expect(try selected(Harness.replay("g")) == "example/")
        #expect(try selected(Harness.replay("gj")) == "example/crop")
        #expect(try selected(Harness.replay("gG")) == "example/video")
        #expect(try selected(Harness.replay("<Home><End>")) == "example/video")
        #expect(try selected(Harness.replay("jjjj")) == "example/video", "moving past the end stays on the last row")
        #expect(try selected(Harness.replay("<PageUp>")) == "example/")
    }

    @Test func foldsAndUnfoldsGroups() throws {
        let atParent = try Harness.replay("h")
        #expect(selected(atParent) == "example/", "← on a feature goes to its group")
        let folded = try Harness.replay("hh")
        #expect(folded.graphScreen.rows.count == 1)
        #expect(folded.graphScreen.rows[0].expander == false)
        #expect(try Harness.replay("hhl").graphScreen.rows.count == 5)
        #expect(try Harness.replay("hh<Enter>").graphScreen.rows.count == 5, "Enter on a group toggles it")
        #expect(try Harness.replay("-").graphScreen.rows.count == 1)
        let all = try Harness.replay("-=")
        #expect(all.graphScreen.rows.count == 5)
        #expect(selected(all) == "example/")
    }

    @Test func flatModeListsFeaturesInTopologicalOrderAndKeepsTheSelection() throws {
        let flat = try Harness.replay("kt")
        #expect(flat.graphScreen.rows.map(\.path) == ["example/video", "example/crop", "example/face_detection", "example/stt"])
        #expect(selected(flat) == "example/stt")
        #expect(try selected(Harness.replay("ktt")) == "example/stt")
    }

    @Test func detailPaneSelectsFieldsAndShowsTheirLineage() throws {
        let state = try Harness.replay("<Tab>")
        #expect(state.graphScreen.focus == .detail)
        #expect(state.graphScreen.selectedField == 0)
        let second = try Harness.replay("<Tab>j")
        #expect(second.graphScreen.selectedField == 1)
        let lineage = FeatureDetail.lines(graph: second.graph, feature: second.graphScreen.selectedFeature!, selectedField: 1, fullVersions: false)
        let text = lineage.map { $0.spans.map(\.text).joined() }
        #expect(text.contains("Lineage of frames"))
        #expect(text.contains("    example/face_detection.faces"))
        #expect(text.contains("    example/stt"), "stt reads only audio: frames cannot affect it")
        #expect(try Harness.replay("<Tab><Tab>").graphScreen.focus == .features)
        #expect(try Harness.replay("<Tab><Esc>").graphScreen.focus == .features)
    }

    @Test func enterJumpsAlongDepsAndBracketGoesBack() throws {
        // On example/video's detail: audio, frames, then downstream crop and stt.
        let jumped = try Harness.replay("<Tab>jj<Enter>")
        #expect(selected(jumped) == "example/crop")
        #expect(jumped.graphScreen.history.map(\.feature) == ["example/video"])
        #expect(try selected(Harness.replay("<Tab>jj<Enter>[")) == "example/video")
        // From a lineage entry the jump selects that field. Passing over `frames` made it the
        // field whose lineage shows, so the first lineage entry is example/crop.frames.
        let field = try Harness.replay("<Tab>jjjj<Enter>")
        #expect(selected(field) == "example/crop")
        #expect(field.graphScreen.selectedField == 1)
        #expect(try Harness.replay("[").message?.text == "nothing to go back to")
    }

    @Test func aJumpUnfoldsAndClearsWhatHidesTheTarget() throws {
        let (session, _) = try Harness.session(Harness.demo())
        try Harness.press("/video<Enter><Tab>jj<Enter>", on: session)
        #expect(selected(session.state) == "example/crop")
        #expect(session.state.graphScreen.filter.isEmpty)
    }

    @Test func mouseClickSelectsAndWheelScrolls() throws {
        let (session, _) = try Harness.session(Harness.demo())
        session.dispatch(.key(.mouse(MouseEvent(.press, x: 5, y: 3))))
        #expect(selected(session.state) == "example/crop")
        session.dispatch(.key(.mouse(MouseEvent(.wheelDown, x: 5, y: 10))))
        #expect(selected(session.state) == "example/video")
        session.dispatch(.key(.mouse(MouseEvent(.press, x: 60, y: 9))))
        #expect(session.state.graphScreen.focus == .detail)
        #expect(session.state.graphScreen.selectedField == 1)
    }

    @Test func tooSmallIgnoresKeysButQuits() throws {
        let (session, terminal) = try Harness.session(Harness.demo(), size: Size(width: 38, height: 9), keys: "jjt")
        #expect(session.state.graphScreen.mode == .tree)
        #expect(terminal.lastFrame?.text.contains("Terminal too small") == true)
        session.dispatch(.resize(Size(width: 50, height: 12)))
        #expect(View.render(session.state).text.contains("1 Features (4)"))
        try Harness.press("q", on: session)
        #expect(!session.state.running)
    }
}

@Suite struct FilterTests {
    @Test func filtersAsYouTypeWithSmartCase() throws {
        let typing = try Harness.replay("/cro")
        #expect(typing.prompt?.text == "cro")
        #expect(typing.graphScreen.rows.compactMap(\.feature).map { typing.graph.key($0).string } == ["example/crop"])
        #expect(typing.graphScreen.selectedRow?.path == "example/crop")
        #expect(try Harness.replay("/CROP").graphScreen.rows.isEmpty, "an uppercase term matches exactly")
        #expect(try Harness.replay("/example cro").graphScreen.rows.compactMap(\.feature).count == 1, "every term must match")
        #expect(try Harness.replay("/transcription").graphScreen.rows.compactMap(\.feature).count == 1, "field keys match too")
    }

    @Test func nonASCIIKeysFilterWithTheirOwnCase() throws {
        let graph = try Fixtures.graph("features:\n  - key: daten/Größe\n    fields: [Übersicht]\n  - key: daten/x\n")
        let (session, _) = try Harness.session((graph, GraphSource(label: "g", reference: nil, watchedPath: nil)))
        func matches(_ query: String) throws -> [String] {
            try Harness.press("<Esc>/\(query)<Enter>", on: session)
            return session.state.graphScreen.rows.compactMap(\.feature).map { graph.key($0).string }
        }
        #expect(try matches("größe") == ["daten/Größe"])
        #expect(try matches("GRÖSSE").isEmpty)
        #expect(try matches("Größe") == ["daten/Größe"])
        #expect(try matches("übersicht") == ["daten/Größe"])
        #expect(try matches("x") == ["daten/x"])
    }

    @Test func enterKeepsTheFilterAndEscRestoresThePreviousOne() throws {
        let kept = try Harness.replay("/de<Enter>")
        #expect(kept.prompt == nil)
        #expect(kept.graphScreen.filter == "de")
        #expect(kept.message?.text.hasPrefix("2 features match “de”") == true)
        let cancelled = try Harness.replay("/de<Enter>/xyz<Esc>")
        #expect(cancelled.graphScreen.filter == "de")
        #expect(try Harness.replay("/de<Enter><Esc>").graphScreen.filter.isEmpty, "Esc clears an applied filter")
        #expect(try Harness.replay("/ab<BS><BS>x<C-u>").prompt?.text == "")
    }

    @Test func nAndNCycleThroughMatchesAndWrap() throws {
        // "o" is in crop, face_detection and video, and in stt's field "transcription".
        let start = try Harness.replay("/o<Enter>")
        let order = start.graphScreen.rows.compactMap(\.feature).map { start.graph.key($0).string }
        #expect(order == ["example/crop", "example/face_detection", "example/stt", "example/video"])
        #expect(start.graphScreen.selectedRow?.path == "example/video", "the selection still matches, so it stays")
        let wrapped = try Harness.replay("/o<Enter>n")
        #expect(wrapped.graphScreen.selectedRow?.path == "example/crop")
        #expect(wrapped.message?.text == "search wrapped to the top")
        #expect(try Harness.replay("/o<Enter>nn").graphScreen.selectedRow?.path == "example/face_detection")
        #expect(try Harness.replay("/o<Enter>N").graphScreen.selectedRow?.path == "example/stt")
        #expect(try Harness.replay("/o<Enter>nN").message?.text == "search wrapped to the bottom")
        #expect(try Harness.replay("n").message?.text.hasPrefix("no filter yet") == true)
    }
}

@Suite struct HelpAndCommandTests {
    @Test func helpListsEveryBindingAndFilters() throws {
        let all = HelpView.lines(filter: "", screen: .graph, width: 400).map { $0.map(\.text).joined() }.joined(separator: "\n")
        for binding in Keymap.bindings { #expect(all.contains(binding.summary)) }
        let state = try Harness.replay("?uit")
        #expect(state.help?.filter == "uit")
        let filtered = HelpView.lines(filter: "uit", screen: .graph, width: 90).map { $0.map(\.text).joined() }
        #expect(filtered.contains { $0.contains("close the overlay, or quit") })
        #expect(!filtered.contains { $0.contains("next row") })
        #expect(try Harness.replay("?uit<Esc>").help == HelpOverlay())
        #expect(try Harness.replay("?uit<Esc><Esc>").help == nil)
        #expect(try Harness.replay("?uitq").help?.filter == "uitq", "q is text once a filter is typed")
        #expect(try Harness.replay("?q").help == nil, "q closes help")
        #expect(try Harness.replay("?q").running)
        #expect(try Harness.replay("<F1><F1>").help == nil)
    }

    @Test func gotoSelectsAFeatureByKeyOrUniquePart() throws {
        #expect(try Harness.replay(":goto example/stt<Enter>").graphScreen.selectedRow?.path == "example/stt")
        #expect(try Harness.replay(":goto face<Enter>").graphScreen.selectedRow?.path == "example/face_detection")
        let ambiguous = try Harness.replay(":goto example<Enter>")
        #expect(ambiguous.message?.isError == true)
        #expect(ambiguous.message?.text.hasPrefix("4 features match “example”") == true)
        #expect(try Harness.replay(":goto nothing<Enter>").message?.text == "no feature key contains “nothing”")
    }

    @Test func unknownCommandsAndMissingArgumentsSayWhatWorks() throws {
        #expect(try Harness.replay(":frob<Enter>").message?.text.contains("commands: q, theme") == true)
        #expect(try Harness.replay(":export png x<Enter>").message?.text.hasPrefix("export takes a format") == true)
        #expect(try Harness.replay(":goto<Enter>").message?.text.hasPrefix("goto takes a feature key") == true)
        #expect(try Harness.replay(":<BS>").prompt == nil, "backspace on an empty command line closes it")
        #expect(try !Harness.replay(":q<Enter>").running)
        #expect(try Harness.replay(":flat<Enter>").graphScreen.mode == .flat)
    }

    @Test func themeCommandAndCycling() throws {
        #expect(try Harness.replay(":theme light<Enter>").theme.name == "light")
        #expect(try Harness.replay("T").theme.name == "high-contrast")
        #expect(try Harness.replay("TTTTT").theme.name == "dark")
        let listed = try Harness.replay(":theme<Enter>")
        #expect(listed.message?.text == "themes: dark, high-contrast, light, mono, nord (now dark); :theme NAME picks one")
        let missing = try Harness.replay(":theme solarized<Enter>")
        #expect(missing.theme.name == "dark")
        #expect(missing.message?.isError == true)
        #expect(missing.message?.text.contains("no such theme") == true)
    }

    @Test func exportWritesWhatTheCLIWrites() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (graph, _) = try Harness.demo()
        for (format, expected) in [("mermaid", try MermaidRenderer.render(graph)), ("dot", try DotRenderer.render(graph)),
                                   ("json", try GraphJSON.render(graph).pretty() + "\n")] {
            let path = dir.appendingPathComponent("out.\(format)").path
            let state = try Harness.replay(":export \(format) \(path)<Enter>")
            #expect(state.message?.text == "wrote \(path) (\(format), 4 features)")
            #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        }
        let bad = try Harness.replay(":export dot /nonexistent/dir/x.dot<Enter>")
        #expect(bad.message?.isError == true)
        #expect(bad.message?.text.hasPrefix("could not write /nonexistent/dir/x.dot") == true)
    }

    @Test func yCopiesTheSelectedVersionWithOSC52() throws {
        let (session, terminal) = try Harness.session(Harness.demo(), keys: "y<Tab>jy")
        let graph = session.state.graph
        let video = try #require(graph.index(of: FeatureKey(string: "example/video")))
        let expected = [graph.featureVersion(video), graph.fieldVersion(video, 1)].map {
            "\u{1B}]52;c;\(Data($0.utf8).base64EncodedString())\u{07}"
        }
        #expect(terminal.controls == expected)
        #expect(session.state.message?.text.hasPrefix("copied the version of example/video.frames") == true)
    }

    @Test func fullVersionsToggle() throws {
        let state = try Harness.replay("v")
        #expect(View.render(state).text.contains(state.graph.featureVersion(state.graphScreen.selectedFeature!)))
        #expect(!View.render(try Harness.replay("")).text.contains(state.graph.featureVersion(state.graphScreen.selectedFeature!)))
    }
}

@Suite struct ReloadAndThemeFileTests {
    static let graphText = "features:\n  - key: a/root\n    fields: [x]\n  - key: a/child\n    deps: [a/root]\n    fields: [y]\n"

    @Test func reloadKeepsTheSelectionAndAChangedFileReloadsByItself() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("g.yaml")
        try Self.graphText.write(to: file, atomically: true, encoding: .utf8)
        let (session, _) = try Harness.session(GraphOpening.open(file.path), keys: "k")
        #expect(session.state.graphScreen.selectedRow?.path == "a/child")

        try (Self.graphText + "  - key: a/extra\n    deps: [a/child]\n").write(to: file, atomically: true, encoding: .utf8)
        session.run()  // no keys: the watcher notices the change
        #expect(session.state.graph.count == 3)
        #expect(session.state.graphScreen.selectedRow?.path == "a/child")
        #expect(session.state.message?.text.hasPrefix("reloaded g.yaml: 3 features") == true)

        try "features:\n  - key: [broken\n".write(to: file, atomically: true, encoding: .utf8)
        try Harness.press("R", on: session)
        #expect(session.state.graph.count == 3, "a bad file keeps the graph on screen")
        #expect(session.state.message?.isError == true)
        #expect(session.state.message?.text.contains("g.yaml") == true)
    }

    @Test func theBundledExampleHasNothingToReload() throws {
        let state = try Harness.replay("R")
        #expect(state.message?.isError == true)
    }

    @Test func aBadThemeFileIsAStatusMessageAndTheDefaultTheme() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "roles:\n  feature: {fg: chartreuse}\n".write(to: dir.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        try "roles:\n  feature: {fg: \"#ff0000\"}\n".write(to: dir.appendingPathComponent("red.yaml"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [dir] + Harness.themes.directories)
        let (session, terminal) = try Harness.session(Harness.demo(), theme: "mine", catalog: catalog)
        #expect(session.state.theme.name == "dark")
        #expect(session.state.message?.text.contains("mine.yaml: line 2: `chartreuse` is not a colour") == true)
        #expect(terminal.lastFrame?.text.contains("chartreuse") == true)
        let (red, _) = try Harness.session(Harness.demo(), theme: "red", catalog: catalog)
        #expect(red.state.theme[.feature].foreground == .rgb(255, 0, 0))
        #expect(red.state.theme[.muted] == Harness.themes.load("dark").theme[.muted], "a partial theme inherits the default")
    }
}
