/// A colour as a theme names it; the terminal degrades it to what it can show.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// One of the 16 ANSI colours (0–7 normal, 8–15 bright).
    case ansi(UInt8)
    /// An entry of the xterm 256-colour palette.
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let names: [String: UInt8] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "gray": 8, "grey": 8, "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Parses `default`, a colour name, `#rrggbb`, or a palette index `0`–`255`; nil when none of those.
    public init?(parsing text: String) {
        let t = text.lowercased()
        if t == "default" || t == "none" {
            self = .terminalDefault
        } else if let n = Self.names[t] {
            self = .ansi(n)
        } else if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            self = .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
        } else if let n = UInt8(t) {
            self = n < 16 ? .ansi(n) : .indexed(n)
        } else {
            return nil
        }
    }

    /// Red, green and blue as the xterm palette shows them.
    public var components: (UInt8, UInt8, UInt8)? {
        switch self {
        case .terminalDefault: return nil
        case .rgb(let r, let g, let b): return (r, g, b)
        case .ansi(let n): return Self.ansiRGB[Int(n)]
        case .indexed(let n): return Self.paletteRGB(n)
        }
    }

    /// This colour as `depth` can show it; nil means "no colour" (the monochrome case).
    public func degraded(to depth: ColorDepth) -> Color? {
        switch (depth, self) {
        case (.monochrome, _): return nil
        case (_, .terminalDefault), (.trueColor, _): return self
        case (.colors256, .rgb(let r, let g, let b)): return .indexed(Self.nearest256(r, g, b))
        case (.colors256, _): return self
        case (.colors16, .ansi), (.colors8, .ansi(0...7)): return self
        case (.colors16, _), (.colors8, _):
            guard let (r, g, b) = components else { return self }
            return .ansi(Self.nearestANSI(r, g, b, count: depth == .colors16 ? 16 : 8))
        }
    }

    static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
        (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255),
    ]

    private static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static func paletteRGB(_ n: UInt8) -> (UInt8, UInt8, UInt8) {
        if n < 16 { return ansiRGB[Int(n)] }
        if n >= 232 { let g = UInt8(8 + 10 * (Int(n) - 232)); return (g, g, g) }
        let i = Int(n) - 16
        return (UInt8(cubeLevels[i / 36]), UInt8(cubeLevels[(i / 6) % 6]), UInt8(cubeLevels[i % 6]))
    }

    /// The closest entry of the 6×6×6 cube or the grey ramp, by squared distance.
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int { Int(v) < 48 ? 0 : Int(v) < 115 ? 1 : (Int(v) - 35) / 40 }
        let cube = UInt8(16 + 36 * level(r) + 6 * level(g) + level(b))
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grey = UInt8(232 + min(23, max(0, (average - 3) / 10)))
        return distance(paletteRGB(cube), (r, g, b)) <= distance(paletteRGB(grey), (r, g, b)) ? cube : grey
    }

    static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> UInt8 {
        var best = 0
        for i in 1..<count where distance(ansiRGB[i], (r, g, b)) < distance(ansiRGB[best], (r, g, b)) { best = i }
        return UInt8(best)
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return dr * dr + dg * dg + db * db
    }
}

/// How many colours the terminal shows, richest first.
public enum ColorDepth: String, Sendable, CaseIterable {
    case trueColor = "truecolor", colors256 = "256", colors16 = "16", colors8 = "8", monochrome = "mono"

    /// The depth an environment asks for: NO_COLOR or `--color never` → monochrome; COLORTERM
    /// truecolor/24bit → true colour; otherwise what terminfo reports (`colors`), capped at 256.
    public static func detect(environment: [String: String], terminfoColors: Int, colorOption: ColorOption) -> ColorDepth {
        if colorOption == .never { return .monochrome }
        if colorOption == .auto, let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        let colorterm = environment["COLORTERM"]?.lowercased() ?? ""
        if colorterm == "truecolor" || colorterm == "24bit" { return .trueColor }
        switch terminfoColors {
        case 256...: return .colors256
        case 16...: return .colors16
        case 8...: return .colors8
        default: return colorOption == .always ? .colors8 : .monochrome
        }
    }
}

/// `--color auto|always|never`.
public enum ColorOption: String, Sendable, CaseIterable {
    case auto, always, never
}
