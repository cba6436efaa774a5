import Foundation
import Glibc
import LGSPCore

/// An open directory: every operation is relative to its descriptor and never follows a symbolic
/// link, so an app that swaps a folder or a file for a link cannot make the hub read or write
/// outside the folder it opened (`openat`/`renameat` with `O_NOFOLLOW`, `AT_SYMLINK_NOFOLLOW`).
final class DirectoryHandle: @unchecked Sendable {
    let fd: Int32
    /// The path it was opened at, for messages only.
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Opens the directory at an absolute path (the last component must not be a link).
    static func open(_ path: String, create: Bool = false) throws(LGSPError) -> DirectoryHandle {
        if create { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("open the folder", path) }
        return DirectoryHandle(fd: fd, path: path)
    }

    /// Opens (creating it if asked and missing) the sub-folder `name`; a link there is refused (`ELOOP`/`ENOTDIR`).
    func subdirectory(_ name: String, create: Bool) throws(LGSPError) -> DirectoryHandle {
        if create, mkdirat(fd, name, 0o770) != 0, errno != EEXIST {
            throw Self.failure("create the folder", path + "/" + name)
        }
        let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else { throw Self.failure("open the folder", path + "/" + name) }
        return DirectoryHandle(fd: child, path: path + "/" + name)
    }

    /// The names in the directory, without `.` and `..`.
    func names() throws(LGSPError) -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            throw Self.failure("list the folder", path)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var result: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { result.append(name) }
        }
        return result
    }

    /// What `name` is, without following a link; nil if it does not exist.
    func status(_ name: String) -> FileStatus? {
        var info = stat()
        guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return FileStatus(info)
    }

    func exists(_ name: String) -> Bool { status(name) != nil }

    /// Opens a regular file for reading; a link, a FIFO or a device is refused without blocking.
    func openForReading(_ name: String) throws(LGSPError) -> FileReader {
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { throw Self.failure("open", path + "/" + name) }
        var info = stat()
        guard fstat(file, &info) == 0, FileStatus(info).kind == .regular else {
            close(file)
            throw LGSPError(.unsafeFile, "\(name) is not a regular file")
        }
        return FileReader(fd: file, status: FileStatus(info))
    }

    /// Creates (or truncates) `name` for writing, readable by the folder's group (the app's account).
    func createForWriting(_ name: String) throws(LGSPError) -> FileWriter {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o660)
        guard file >= 0 else { throw Self.failure("create", path + "/" + name) }
        return FileWriter(fd: file, name: name)
    }

    /// Writes `data` to `name` atomically and durably: `name.part`, fsync, rename, fsync of the folder.
    func writeAtomically(_ name: String, _ data: Data) throws(LGSPError) {
        let writer = try createForWriting(name + ".part")
        try writer.write(data)
        try writer.finish()
        try rename(name + ".part", to: self, as: name)
        sync()
    }

    /// Renames `name` into `target` as `newName` (replacing it if present).
    func rename(_ name: String, to target: DirectoryHandle, as newName: String) throws(LGSPError) {
        guard renameat(fd, name, target.fd, newName) == 0 else {
            throw Self.failure("move", path + "/" + name + " to " + target.path + "/" + newName)
        }
    }

    /// Removes the file `name`; a missing file is not an error.
    func remove(_ name: String) throws(LGSPError) {
        guard unlinkat(fd, name, 0) == 0 || errno == ENOENT else { throw Self.failure("remove", path + "/" + name) }
    }

    /// Makes the directory's entries (renames, creations) durable.
    func sync() { _ = fsync(fd) }

    static func failure(_ action: String, _ path: String) -> LGSPError {
        LGSPError(.storageFailure, "could not \(action) \(path): \(String(cString: strerror(errno)))")
    }
}

/// What `lstat` says about a directory entry.
struct FileStatus: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case regular, directory, symbolicLink, other }
    var kind: Kind
    var size: Int64
    /// Modification time in nanoseconds since 1970.
    var modifiedNanoseconds: Int64
    var device: UInt64
    var inode: UInt64

    init(_ info: stat) {
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        size = Int64(info.st_size)
        modifiedNanoseconds = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The modification time as a date.
    var modified: Date { Date(timeIntervalSince1970: Double(modifiedNanoseconds) / 1e9) }
}

/// A regular file open for reading; closed by `close()` or when released.
final class FileReader: @unchecked Sendable {
    let fd: Int32
    let status: FileStatus

    init(fd: Int32, status: FileStatus) {
        self.fd = fd
        self.status = status
    }

    deinit { Glibc.close(fd) }

    /// Up to `count` bytes from `offset`; empty at the end of the file.
    func read(at offset: Int64, count: Int) throws(LGSPError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard got >= 0 else { throw LGSPError(.storageFailure, "could not read a file: \(String(cString: strerror(errno)))") }
        buffer.removeLast(count - got)
        return buffer
    }

    /// Every byte of the file, if it has at most `limit` bytes; nil if it has more.
    func readAll(limit: Int) throws(LGSPError) -> [UInt8]? {
        var bytes: [UInt8] = []
        while true {
            let chunk = try read(at: Int64(bytes.count), count: 64 * 1024)
            if chunk.isEmpty { return bytes }
            bytes += chunk
            if bytes.count > limit { return nil }
        }
    }
}

/// A file open for writing; `finish()` fsyncs and closes it.
final class FileWriter: @unchecked Sendable {
    private var fd: Int32
    let name: String

    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func write(_ bytes: UnsafeRawBufferPointer) throws(LGSPError) {
        var done = 0
        while done < bytes.count {
            let wrote = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if wrote < 0 {
                if errno == EINTR { continue }
                throw LGSPError(.storageFailure, "could not write \(name): \(String(cString: strerror(errno)))")
            }
            done += wrote
        }
    }

    func write(_ data: Data) throws(LGSPError) {
        do {
            try data.withUnsafeBytes { raw in
                if raw.count > 0 { try write(raw) }
            }
        } catch let error as LGSPError {
            throw error
        } catch {
            throw LGSPError(.storageFailure, "could not write \(name)")
        }
    }

    /// Makes the bytes durable and closes the file.
    func finish() throws(LGSPError) {
        defer {
            Glibc.close(fd)
            fd = -1
        }
        guard fsync(fd) == 0 else { throw LGSPError(.storageFailure, "could not flush \(name): \(String(cString: strerror(errno)))") }
    }
}
