@preconcurrency import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// The real terminal, through ncursesw. Curses is only touched from the thread that made it.
public final class CursesTerminal: Terminal {
    public let depth: ColorDepth
    private let screen: OpaquePointer
    private var last: ScreenBuffer?
    private var lastTheme: Theme?
    private var pairs: [PairKey: Int32] = [:]
    private let directColor: Bool

    private struct PairKey: Hashable {
        let fg: Int32, bg: Int32
    }

    /// Throws when TERM is missing or has no terminfo entry: curses could not start.
    public static func check(environment: [String: String]) throws(TerminalError) {
        let term = environment["TERM"] ?? ""
        if term.isEmpty || cnc_term_known(term, STDOUT_FILENO) == 0 {
            throw TerminalError("""
                metaxy-tui: the terminal type \(term.isEmpty ? "is not set (TERM is empty)" : "'\(term)' has no terminfo entry on this machine"). \
                Run with TERM=xterm-256color (or install the terminfo entry), or use the CLI subcommands: \
                metaxy-tui graph versions GRAPH, metaxy-tui graph render GRAPH
                """)
        }
    }

    /// Starts curses on the controlling terminal. Throws, with the terminal untouched, when
    /// TERM is missing or has no terminfo entry.
    public init(environment: [String: String], color: ColorOption, mouse: Bool) throws(TerminalError) {
        setlocale(LC_ALL, "")
        try Self.check(environment: environment)
        let term = environment["TERM"] ?? ""
        TerminalGuard.saveModes()
        if environment["ESCDELAY"] == nil { set_escdelay(25) }
        guard let screen = newterm(term, stdout, stdin) else {
            throw TerminalError("metaxy-tui: curses could not start on this terminal (TERM=\(term)); use the CLI subcommands instead")
        }
        self.screen = screen
        set_term(screen)
        TerminalGuard.install()
        raw()
        noecho()
        nonl()
        keypad(cnc_stdscr(), true)
        curs_set(0)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(cnc_colors())
        }
        depth = ColorDepth.detect(environment: environment, terminfoColors: colors, colorOption: color)
        directColor = colors >= 0x1000000
        if mouse {
            mousemask(cnc_all_mouse_events(), nil)
            mouseinterval(0)
        }
    }

    public var size: Size { Size(width: Int(cnc_cols()), height: Int(cnc_lines())) }

    public func draw(_ buffer: ScreenBuffer, theme: Theme) {
        let full = last?.size != buffer.size || lastTheme != theme
        if full { werase(cnc_stdscr()) }
        let width = buffer.size.width
        for y in 0..<buffer.size.height {
            for x in 0..<width {
                let cell = buffer[x, y]
                if cell.text.isEmpty { continue }  // the right half of a wide character
                if !full, let last, last[x, y] == cell { continue }
                var chars = Array(cell.text.unicodeScalars.prefix(4).map { wchar_t($0.value) })
                chars.append(0)
                let (attrs, pair) = attributes(theme[cell.role])
                _ = cnc_put(Int32(y), Int32(x), chars, attrs, pair)
            }
        }
        wnoutrefresh(cnc_stdscr())
        doupdate()
        last = buffer
        lastTheme = theme
    }

    public func readKey(timeout: Int) -> Key? {
        wtimeout(cnc_stdscr(), Int32(timeout))
        var ch: wint_t = 0
        let result = wget_wch(cnc_stdscr(), &ch)
        if result == ERR { return nil }
        if result == cnc_key_code_yes() { return functionKey(Int32(ch)) }
        return character(UInt32(ch))
    }

    public func suspend() {
        endwin()
        signal(SIGTSTP, SIG_DFL)
        kill(getpid(), SIGTSTP)
        // Resumed by `fg`: redraw everything, the shell may have drawn over the screen.
        last = nil
        clearok(curscr, true)
        refresh()
    }

    public func redraw() {
        last = nil
        clearok(curscr, true)
    }

    public func sendControl(_ sequence: String) {
        var bytes = Array(sequence.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    public func close() {
        endwin()
        delscreen(screen)
        TerminalGuard.uninstall()
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: last = nil; return .resize
        case KEY_MOUSE: return mouseEvent()
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    private func character(_ value: UInt32) -> Key? {
        switch value {
        case 27: return .escape
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(value + 96)!))
        default: return Unicode.Scalar(value).map { .char(Character($0)) }
        }
    }

    private func mouseEvent() -> Key? {
        var x: Int32 = 0, y: Int32 = 0
        var state: mmask_t = 0
        guard cnc_mouse(&x, &y, &state) == 0 else { return nil }
        if state & cnc_button4_pressed() != 0 { return .mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y))) }
        if state & cnc_button5_pressed() != 0 { return .mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y))) }
        if state & cnc_button1_pressed() != 0 { return .mouse(MouseEvent(.press, x: Int(x), y: Int(y))) }
        return nil
    }

    private func attributes(_ style: Style) -> (attr_t, Int32) {
        var attrs: attr_t = 0
        if style.bold { attrs |= cnc_a_bold() }
        if style.dim { attrs |= cnc_a_dim() }
        if style.italic { attrs |= cnc_a_italic() }
        if style.underline { attrs |= cnc_a_underline() }
        if style.reverse { attrs |= cnc_a_reverse() }
        guard depth != .monochrome else { return (attrs, 0) }
        let fg = number(style.foreground), bg = number(style.background)
        if fg == -1 && bg == -1 { return (attrs, 0) }
        return (attrs, pair(fg, bg))
    }

    /// A curses colour number: -1 is the terminal's default; RGB is a direct colour only on
    /// direct-colour terminfo, otherwise its nearest 256-palette entry.
    private func number(_ color: Color) -> Int32 {
        let shown = color.degraded(to: depth == .trueColor && !directColor ? .colors256 : depth) ?? .terminalDefault
        switch shown {
        case .terminalDefault: return -1
        case .ansi(let n): return Int32(n) < cnc_colors() ? Int32(n) : Int32(n % 8)
        case .indexed(let n): return Int32(n) < cnc_colors() ? Int32(n) : -1
        case .rgb(let r, let g, let b): return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }

    private func pair(_ fg: Int32, _ bg: Int32) -> Int32 {
        let key = PairKey(fg: fg, bg: bg)
        if let p = pairs[key] { return p }
        let next = Int32(pairs.count + 1)
        guard next < cnc_color_pairs(), init_extended_pair(next, fg, bg) == OK else { return 0 }
        pairs[key] = next
        return next
    }
}
