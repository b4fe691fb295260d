import Foundation
import MetaxyCore
import Synchronization

/// A long command's progress on stderr when stderr is a terminal, silent otherwise (logs and
/// pipes get only the messages): the phase, a bar, the count, the rate and the time left. It
/// appears after half a second, so quick commands print nothing, and redraws ten times a second,
/// also through a long step that reports nothing (reading the input), from a thread of its own.
final class ProgressBar: Sendable {
    private struct State {
        var phase = ""
        var phaseStart = ContinuousClock.now
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
        var last: WorkProgress.Report?
        var ticking = false
        var finished = false
    }

    private let state = Mutex(State())
    private let start = ContinuousClock.now
    private let enabled = isatty(STDERR_FILENO) == 1

    /// What the work reports to; it stops at its next step after Ctrl-C (`Interrupt`).
    var progress: WorkProgress {
        WorkProgress(report: { [self] in show($0) }, shouldStop: { Interrupt.requested.load(ordering: .relaxed) })
    }

    private func show(_ report: WorkProgress.Report) {
        guard enabled else { return }
        let startTicking = state.withLock { s in
            if report.phase != s.phase { (s.phase, s.phaseStart) = (report.phase, .now) }
            s.last = report
            draw(&s)
            defer { s.ticking = true }
            return !s.ticking
        }
        if startTicking {
            Thread.detachNewThread { [self] in
                while state.withLock({ s in
                    if !s.finished { draw(&s) }
                    return !s.finished
                }) { Thread.sleep(forTimeInterval: 0.1) }
            }
        }
    }

    private func draw(_ s: inout State) {
        let now = ContinuousClock.now
        guard let report = s.last, !s.finished, now - start >= .milliseconds(500),
              s.lastDraw.map({ now - $0 >= .milliseconds(100) }) ?? true else { return }
        s.lastDraw = now
        s.drawn = true
        let line = Self.line(report, elapsed: Self.seconds(now - s.phaseStart), width: Self.terminalWidth)
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Takes the bar off the screen, before the command's own messages; a later report shows it again.
    func clear() {
        state.withLock { s in
            if s.drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            s.drawn = false
            s.last = nil
        }
    }

    /// Off the screen for good; the drawing thread ends.
    func finish() {
        clear()
        state.withLock { $0.finished = true }
    }

    /// `writing media/video ▕██████▌   ▏ 512,000/1,000,000 rows · 410,000 rows/s · 1.2 s left`,
    /// then what it is on, cut to the terminal's width; without a total, the phase and its time so far.
    static func line(_ report: WorkProgress.Report, elapsed: Double, width: Int) -> String {
        guard let total = report.total, total > 0 else { return cut("\(report.phase)… \(format(elapsed))", width) }
        let fraction = min(1, Double(report.done) / Double(total))
        let cells = 20, filled = Int(fraction * Double(cells * 8))
        let bar = String(repeating: "█", count: filled / 8) + (filled % 8 > 0 ? ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][filled % 8] : "")
        var parts = ["\(report.done.grouped)/\(total.grouped) \(report.unit)"]
        if elapsed >= 0.2, report.done > 0 {
            let rate = Double(report.done) / elapsed
            parts.append((rate < 10 ? String(format: "%.1f", rate) : Int(rate).grouped) + " \(report.unit)/s")
            parts.append("\(format(Double(total - report.done) / rate)) left")
        }
        if let item = report.item { parts.append(item) }
        let padded = bar + String(repeating: " ", count: cells - bar.count)
        return cut("\(report.phase) ▕\(padded)▏ " + parts.joined(separator: " · "), width)
    }

    private static func format(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.1f s", seconds) : "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
    }

    private static func cut(_ text: String, _ width: Int) -> String {
        text.count < width ? text : String(text.prefix(max(0, width - 2))) + "…"
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static var terminalWidth: Int {
        var size = winsize()
        return ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }
}

/// Ctrl-C. During work that undoes itself when stopped (a write, inside its transaction) the first
/// one asks it to stop at its next step; otherwise, or pressed again, the process ends at once
/// with status 130, as a shell expects. Reads can always end at once: they leave nothing behind.
enum Interrupt {
    static let requested = Atomic<Bool>(false)
    static let graceful = Atomic<Bool>(false)
    static let terminal = Atomic<Bool>(false)

    /// `graceful`: the command's work checks `requested` and rolls back.
    static func install(graceful: Bool) {
        Self.graceful.store(graceful, ordering: .relaxed)
        terminal.store(isatty(STDERR_FILENO) == 1, ordering: .relaxed)
        _ = requested.load(ordering: .relaxed)
        signal(SIGINT) { _ in
            if Interrupt.graceful.load(ordering: .relaxed), !Interrupt.requested.exchange(true, ordering: .relaxed) {
                let message: StaticString = "\r\u{1B}[Kstopping: what was begun is rolled back at the next step (Ctrl-C again ends at once)\n"
                let skip = Interrupt.terminal.load(ordering: .relaxed) ? 0 : 4
                _ = write(STDERR_FILENO, message.utf8Start + skip, message.utf8CodeUnitCount - skip)
                return
            }
            // Off the bar's line, then out: only async-signal-safe calls here.
            let message: StaticString = "\r\u{1B}[Kinterrupted\n"
            let skip = Interrupt.terminal.load(ordering: .relaxed) ? 0 : 4
            _ = write(STDERR_FILENO, message.utf8Start + skip, message.utf8CodeUnitCount - skip)
            _exit(130)
        }
    }
}
