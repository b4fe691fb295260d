import Testing
@testable import TerminalKit

@Suite struct CellWidthTests {
    @Test(arguments: [
        ("a", 1), ("é", 1), ("e\u{301}", 1), ("中", 2), ("한", 2), ("ｱ", 1), ("Ａ", 2),
        ("😀", 2), ("❤️", 2), ("👨‍👩‍👧", 2), ("─", 1), ("◉", 1), ("\u{200B}", 0),
    ])
    func graphemeWidths(text: String, width: Int) {
        #expect(CellWidth.of(text) == width, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func stringWidthAddsItsGraphemes() {
        #expect(CellWidth.of("ab中😀e\u{301}") == 7)
    }
}

@Suite struct ScreenBufferTests {
    @Test func wideCharactersTakeTwoCellsAndClipToASpace() {
        var buffer = ScreenBuffer(size: Size(width: 6, height: 1))
        let used = buffer.put("a中b中", x: 0, y: 0, role: .field, limit: 5)
        #expect(used == 5)
        #expect(buffer.text == "a中b\n")
        #expect(buffer[1, 0].text == "中" && buffer[2, 0].text.isEmpty)
        #expect(buffer[4, 0].text == " " && buffer[4, 0].role == .field)
        #expect(buffer.styleLayer == "ddddd\n")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(size: Size(width: 4, height: 1))
        buffer.put("中中", x: 0, y: 0)
        buffer.put("x", x: 1, y: 0)
        #expect(buffer.text == " x中\n")
        buffer.put("y", x: 2, y: 0)
        #expect(buffer.text == " xy\n")
    }

    @Test func combiningMarkJoinsThePreviousCell() {
        var buffer = ScreenBuffer(size: Size(width: 4, height: 1))
        buffer.put("e\u{301}x", x: 0, y: 0)
        #expect(buffer[0, 0].text == "e\u{301}")
        #expect(buffer[1, 0].text == "x")
    }

    @Test func boxAndStyleLayer() {
        var buffer = ScreenBuffer(size: Size(width: 10, height: 3))
        buffer.box(Rect(x: 0, y: 0, width: 10, height: 3), title: "Hi", role: .border)
        buffer.put("ok", x: 1, y: 1, role: .added)
        #expect(buffer.text == "╭ Hi ────╮\n│ok      │\n╰────────╯\n")
        #expect(buffer.styleLayer == "bTTTTbbbbb\nb++      b\nbbbbbbbbbb\n")
    }

    @Test func writesOutsideTheBufferAreIgnored() {
        var buffer = ScreenBuffer(size: Size(width: 3, height: 2))
        #expect(buffer.put("abc", x: 5, y: 0) == 0)
        #expect(buffer.put("abc", x: 0, y: 9) == 0)
        buffer.fill(Rect(x: -2, y: -2, width: 10, height: 10), role: .muted, with: ".")
        #expect(buffer.text == "...\n...\n")
    }
}
