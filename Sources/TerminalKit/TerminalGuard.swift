import CNcurses
#if canImport(Glibc)
import Glibc
#endif

/// Puts the terminal back however the process ends: a signal, a Swift trap (SIGILL/SIGTRAP on
/// Linux) or a crash. Handlers restore the saved terminal modes, say why, then let the signal
/// take its default course so the exit status stays honest. They run on an alternate signal
/// stack, so a stack overflow (SIGSEGV with no stack left) is caught too; every thread that runs
/// app code runs its work inside `withSignalStack`.
public enum TerminalGuard {
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

    /// Room for the handler on a thread whose own stack is used up.
    private static let alternateStackSize = 64 * 1024

    /// Gives the calling thread an alternate signal stack (per thread, as signal stacks are) for
    /// the rest of its life: the main thread's.
    static func prepareThread() { _ = installStack() }

    /// Runs `body` with an alternate signal stack on this thread, removed and freed after: the
    /// app's worker threads, one per piece of background work, leave nothing behind.
    public static func withSignalStack(_ body: () -> Void) {
        let memory = installStack()
        body()
        guard let memory else { return }
        var disabled = stack_t(ss_sp: nil, ss_flags: Int32(SS_DISABLE), ss_size: 0)
        sigaltstack(&disabled, nil)
        free(memory)
    }

    /// The new stack's memory; nil when the thread already has one (or none could be made).
    private static func installStack() -> UnsafeMutableRawPointer? {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return nil }
        guard let memory = malloc(alternateStackSize) else { return nil }
        var stack = stack_t(ss_sp: memory, ss_flags: 0, ss_size: alternateStackSize)
        guard sigaltstack(&stack, nil) == 0 else {
            free(memory)
            return nil
        }
        return memory
    }

    static func install() {
        active = true
        prepareThread()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        action.sa_flags = Int32(SA_ONSTACK)
        sigemptyset(&action.sa_mask)
        for s in fatalSignals + stopSignals { sigaction(s, &action, nil) }
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
