import Foundation

@testable import MemoryClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loopback TCP proxy in front of a server that loses a share of the server's answers: the
/// request reached the server and was applied, then the connection is closed instead of the
/// answer being forwarded. This is the failure an add must never be retried blindly after.
///
/// `@unchecked Sendable` because its mutable state (the generator, the counters, the stop flag)
/// is only touched while holding `lock`; the file descriptors are owned by their pump threads.
final class DroppingProxy: @unchecked Sendable {
    /// The port the proxy listens on, on 127.0.0.1.
    let port: UInt16
    private let upstreamPort: UInt16
    private let listener: Int32
    private let dropRate: Double
    private let lock = NSLock()
    private var random: SplitMix64
    private var drops = 0
    private var stopped = false

    struct ProxyError: Error, CustomStringConvertible {
        var description: String
    }

    init(upstreamPort: UInt16, dropRate: Double, seed: UInt64) throws {
        self.upstreamPort = upstreamPort
        self.dropRate = dropRate
        random = SplitMix64(seed: seed)
        let fd = socket(AF_INET, Self.streamType, 0)
        guard fd >= 0 else { throw ProxyError(description: "socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 256) == 0 else {
            close(fd)
            throw ProxyError(description: "bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 {
                    if lock.withLock({ stopped }) { return }
                    continue
                }
                forward(client)
            }
        }
    }

    /// The base URL of the proxy.
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Answers lost so far.
    var dropped: Int { lock.withLock { drops } }

    /// Stops accepting; connections in flight end when their peers close.
    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func forward(_ client: Int32) {
        let upstream = socket(AF_INET, Self.streamType, 0)
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard upstream >= 0, connected == 0 else {
            close(client)
            if upstream >= 0 { close(upstream) }
            return
        }
        let pair = Pair(client, upstream)
        Thread.detachNewThread { self.pump(from: client, to: upstream, pair: pair, mayDrop: false) }
        Thread.detachNewThread { self.pump(from: upstream, to: client, pair: pair, mayDrop: true) }
    }

    private func shouldDrop() -> Bool {
        lock.withLock {
            let unit = Double(random.next() >> 11) * 0x1p-53
            if unit < dropRate {
                drops += 1
                return true
            }
            return false
        }
    }

    private func pump(from source: Int32, to sink: Int32, pair: Pair, mayDrop: Bool) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        loop: while true {
            let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            if mayDrop && shouldDrop() { break }
            var offset = 0
            while offset < n {
                let written = buffer.withUnsafeBytes { bytes -> Int in
                    guard let base = bytes.baseAddress else { return -1 }
                    return send(sink, base + offset, n - offset, Int32(MSG_NOSIGNAL))
                }
                if written <= 0 { break loop }
                offset += written
            }
        }
        pair.finish()
    }

    /// Two sockets that close together: the first pump to end shuts both down, the last closes them.
    ///
    /// `@unchecked Sendable` because its counter is only touched while holding `lock`.
    private final class Pair: @unchecked Sendable {
        let a: Int32
        let b: Int32
        private let lock = NSLock()
        private var open = 2

        init(_ a: Int32, _ b: Int32) {
            self.a = a
            self.b = b
        }

        func finish() {
            let last = lock.withLock {
                open -= 1
                return open == 0
            }
            shutdown(a, Int32(SHUT_RDWR))
            shutdown(b, Int32(SHUT_RDWR))
            if last {
                close(a)
                close(b)
            }
        }
    }

    private static var streamType: Int32 {
        #if canImport(Glibc)
            Int32(SOCK_STREAM.rawValue)
        #else
            SOCK_STREAM
        #endif
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
