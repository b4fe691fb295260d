import Foundation

/// Read-only descriptors of a store's database and WAL-index (`-shm`) files, opened once per
/// process and never closed. Closing any descriptor of a file drops every POSIX lock the process
/// holds on it, SQLite's own included: a `-shm` opened and closed beside a writing connection
/// let another process take the WAL index for abandoned and rebuild it under the writer
/// (SQLite's unix VFS defers its own closes for the same reason).
enum HeldFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var held: [String: (fd: Int32, device: UInt64, inode: UInt64)] = [:]

    /// The descriptor of the file now at `path`; nil when it cannot be opened. A file replaced
    /// at the same path gets a new one, and the old one is closed: one descriptor per path (a
    /// graph file an editor saves anew each time is read here too).
    static func descriptor(_ path: String) -> Int32? {
        lock.withLock {
            var now = stat()
            guard stat(path, &now) == 0 else { return nil }
            if let file = held[path] {
                if file.device == UInt64(now.st_dev) && file.inode == UInt64(now.st_ino) { return file.fd }
                close(file.fd)
                held[path] = nil
            }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            var opened = stat()
            guard fd >= 0 else { return nil }
            guard fstat(fd, &opened) == 0 else { close(fd); return nil }
            held[path] = (fd, UInt64(opened.st_dev), UInt64(opened.st_ino))
            return fd
        }
    }

    /// The first `count` bytes of the file at `path` (fewer when it is shorter).
    static func prefix(_ path: String, _ count: Int) -> [UInt8]? {
        guard let fd = descriptor(path) else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = pread(fd, &bytes, count, 0)
        return read < 0 ? nil : Array(bytes.prefix(read))
    }
}
