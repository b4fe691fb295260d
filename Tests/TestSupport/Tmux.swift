import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tmux server of its own with one pane running bash, driven like a person at a real terminal.
/// Processes are started with posix_spawn: Foundation's Process waits forever on `tmux new-session`,
/// whose server keeps the pipes it inherits.
public final class Tmux {
    public let socket = "metaxy-tui-test-\(UUID().uuidString.prefix(8))"

    public init(width: Int = 120, height: Int = 40) throws {
        let status = Self.spawn(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "main",
                                 "-x", "\(width)", "-y", "\(height)", "-e", "PS1=$ ", "-e", "LANG=C.UTF-8",
                                 "-e", "TERM=xterm-256color", "bash", "--norc", "--noprofile"], capture: false).status
        guard status == 0 else { throw TmuxError(description: "tmux new-session failed with status \(status); is tmux installed?") }
        _ = Self.spawn(["tmux", "-L", socket, "set", "-g", "status", "off"], capture: false)
    }

    deinit {
        _ = Self.spawn(["tmux", "-L", socket, "kill-server"], capture: false)
    }

    /// Keys by tmux name (`Enter`, `Escape`, `C-z`, `Down`) or as literal text with `literal`.
    public func send(_ keys: String..., literal: Bool = false) {
        _ = Self.spawn(["tmux", "-L", socket, "send-keys", "-t", "main"] + (literal ? ["-l"] : []) + keys, capture: false)
    }

    /// Types a shell command line and presses Enter.
    public func run(_ command: String) {
        send(command, literal: true)
        send("Enter")
    }

    public func capture(escapes: Bool = false) -> String {
        Self.spawn(["tmux", "-L", socket, "capture-pane", "-p", "-t", "main"] + (escapes ? ["-e"] : []), capture: true).output
    }

    public func resize(width: Int, height: Int) {
        _ = Self.spawn(["tmux", "-L", socket, "resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"], capture: false)
    }

    /// The pane once `condition` holds, polled every 50 ms; nil after `timeout` seconds.
    public func wait(timeout: Double = 10, for condition: (String) -> Bool) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let screen = capture()
            if condition(screen) { return screen }
            usleep(50_000)
        }
        return nil
    }

    public func wait(timeout: Double = 10, forText text: String) -> String? {
        wait(timeout: timeout) { $0.contains(text) }
    }

    @discardableResult
    public static func spawn(_ arguments: [String], capture: Bool) -> (status: Int32, output: String) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [Int32] = [-1, -1]
        if capture {
            pipe(&fds)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Test runners block signals on their threads; a child would inherit that, and the app
        // under test would never see SIGWINCH or SIGTERM. Start children with a clean slate.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        // `swift test` sets NO_COLOR for the tests; the terminal we drive is a colour one.
        let envp = ProcessInfo.processInfo.environment.filter { $0.key != "NO_COLOR" }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        guard posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, envp) == 0 else {
            if capture { close(fds[0]); close(fds[1]) }
            return (127, "")
        }
        var output = Data()
        if capture {
            close(fds[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n <= 0 { break }
                output.append(buffer, count: n)
            }
            close(fds[0])
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xFF, String(decoding: output, as: UTF8.self))
    }
}

public struct TmuxError: Error, CustomStringConvertible {
    public let description: String
}
