import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back however the process ends: a signal, a Swift trap (SIGILL/SIGTRAP on
/// Linux) or a crash. Handlers restore the saved terminal modes, say why, then let the signal
/// take its default course so the exit status stays honest.
enum TerminalGuard {
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var active = false

    static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE]
    static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Signals the app relies on: resizes, suspend and resume, and the ones that end it.
    static let needed: [Int32] = [SIGWINCH, SIGTSTP, SIGCONT, SIGINT, SIGTERM, SIGHUP]

    /// Called before curses changes anything, so the modes saved are the shell's. A parent may
    /// have blocked or ignored signals; curses only handles SIGWINCH when it is at its default.
    static func saveModes() {
        tcgetattr(STDIN_FILENO, &saved)
        var set = sigset_t()
        sigemptyset(&set)
        for s in needed {
            sigaddset(&set, s)
            signal(s, SIG_DFL)
        }
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }

    static func install() {
        active = true
        for s in fatalSignals + stopSignals { signal(s, handler) }
    }

    static func uninstall() {
        active = false
        for s in fatalSignals + stopSignals { signal(s, SIG_DFL) }
    }

    /// Only async-signal-safe calls after endwin: tcsetattr, write, signal, raise.
    private static let handler: @convention(c) (Int32) -> Void = { sig in
        if TerminalGuard.active {
            TerminalGuard.active = false
            endwin()
            tcsetattr(STDIN_FILENO, TCSANOW, &TerminalGuard.saved)
            // Show the cursor and leave the alternate screen even if endwin could not.
            let reset: StaticString = "\u{1B}[?25h\u{1B}[?1049l\u{1B}[0m"
            _ = write(STDOUT_FILENO, reset.utf8Start, reset.utf8CodeUnitCount)
            let note: StaticString = "metaxy-tui: stopped by a signal; the terminal was restored.\n"
            let crash: StaticString = "metaxy-tui: internal error (crash); the terminal was restored. Please report it with the command you ran.\n"
            let text = TerminalGuard.fatalSignals.contains(sig) ? crash : note
            _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
        }
        signal(sig, SIG_DFL)
        raise(sig)
    }
}
