import Foundation

/// `Tests/Fixtures/python/cutting_proxy.py` on loopback: forwards to `targetPort` and cuts the first
/// connection after it carried `cutAfter` bytes from the client, as a dropped network would; with
/// `countingAllConnections`, the connection that carries byte `cutAfter` of all of them together.
public final class CuttingProxy: Sendable {
    public let port: Int
    private let process: Process

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts the proxy (with the test Python, else `python3`) and waits until it listens.
    public static func start(targetPort: Int, cutAfter: Int, countingAllConnections: Bool = false) async throws -> CuttingProxy {
        guard let python = ExternalTools.python ?? ExternalTools.which("python3") else {
            throw HubProcessError(message: "no python3 for the cutting proxy")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [PackageRoot.path + "/Tests/Fixtures/python/cutting_proxy.py", String(targetPort), String(cutAfter)] + (countingAllConnections ? ["--total"] : [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                continuation.resume(returning: String(decoding: output.fileHandleForReading.availableData, as: UTF8.self))
            }
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            Foundation.kill(process.processIdentifier, SIGKILL)
            throw HubProcessError(message: "cutting_proxy.py did not start: \(line)")
        }
        return CuttingProxy(port: port, process: process)
    }

    /// Stops the proxy (SIGKILL: a child started from a Swift test inherits a signal mask that blocks SIGTERM).
    public func stop() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A loopback port nothing listens on (bound, then released).
    public static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw HubProcessError(message: "socket() failed") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw HubProcessError(message: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
