import Testing
@testable import TerminalKit

@Suite struct ColorTests {
    @Test func parsing() {
        #expect(Color(parsing: "red") == .ansi(1))
        #expect(Color(parsing: "Bright-Blue") == .ansi(12))
        #expect(Color(parsing: "#61afef") == .rgb(0x61, 0xaf, 0xef))
        #expect(Color(parsing: "208") == .indexed(208))
        #expect(Color(parsing: "7") == .ansi(7))
        #expect(Color(parsing: "default") == .terminalDefault)
        #expect(Color(parsing: "#12345") == nil)
        #expect(Color(parsing: "puce") == nil)
        #expect(Color(parsing: "256") == nil)
    }

    @Test func degradesThroughEachDepth() {
        let orange = Color.rgb(255, 135, 0)
        #expect(orange.degraded(to: .trueColor) == orange)
        #expect(orange.degraded(to: .colors256) == .indexed(208))
        #expect(Color.rgb(255, 0, 0).degraded(to: .colors256) == .indexed(196))
        #expect(Color.rgb(128, 128, 128).degraded(to: .colors256) == .indexed(244))
        #expect(Color.rgb(250, 70, 70).degraded(to: .colors16) == .ansi(9))
        #expect(Color.rgb(250, 70, 70).degraded(to: .colors8) == .ansi(1))
        #expect(Color.indexed(196).degraded(to: .colors16) == .ansi(1))
        #expect(Color.ansi(12).degraded(to: .colors8) == .ansi(4))
        #expect(Color.terminalDefault.degraded(to: .colors8) == .terminalDefault)
        #expect(orange.degraded(to: .monochrome) == nil)
    }

    @Test func depthFromTheEnvironment() {
        #expect(ColorDepth.detect(environment: [:], terminfoColors: 256, colorOption: .auto) == .colors256)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "truecolor"], terminfoColors: 256, colorOption: .auto) == .trueColor)
        #expect(ColorDepth.detect(environment: ["COLORTERM": "24bit"], terminfoColors: 8, colorOption: .auto) == .trueColor)
        #expect(ColorDepth.detect(environment: [:], terminfoColors: 16, colorOption: .auto) == .colors16)
        #expect(ColorDepth.detect(environment: [:], terminfoColors: 8, colorOption: .auto) == .colors8)
        #expect(ColorDepth.detect(environment: [:], terminfoColors: 0, colorOption: .auto) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor"], terminfoColors: 256, colorOption: .auto) == .monochrome)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": ""], terminfoColors: 256, colorOption: .auto) == .colors256)
        #expect(ColorDepth.detect(environment: ["NO_COLOR": "1"], terminfoColors: 256, colorOption: .always) == .colors256)
        #expect(ColorDepth.detect(environment: [:], terminfoColors: 256, colorOption: .never) == .monochrome)
    }
}
