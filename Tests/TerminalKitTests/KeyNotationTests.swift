import Testing
@testable import TerminalKit

@Suite struct KeyNotationTests {
    @Test func parsesTypedTextAndNamedKeys() throws {
        let keys = try KeyNotation.parse("jG<Enter><C-d><S-Tab><F1><lt><Space>/a b<Esc><PageDown>")
        #expect(keys == [.char("j"), .char("G"), .enter, .ctrl("d"), .backTab, .function(1), .char("<"), .char(" "),
                         .char("/"), .char("a"), .char(" "), .char("b"), .escape, .pageDown])
    }

    @Test func anUnknownNameSaysWhatIsKnown() {
        #expect(throws: KeyNotation.Problem.self) { try KeyNotation.parse("<Hyper-x>") }
        do { _ = try KeyNotation.parse("<F13>") } catch { #expect(error.description.contains("<F1>…<F12>")) }
    }

    @Test func displayNames() {
        #expect(KeyNotation.display(.ctrl("d")) == "Ctrl-d")
        #expect(KeyNotation.display(.char(" ")) == "Space")
        #expect(KeyNotation.display(.backTab) == "Shift-Tab")
    }
}
