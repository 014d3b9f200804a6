import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One TCP connect to a host, to tell "nothing listens there" from everything else before a
/// job starts: a refused connection is answered at once, while the HTTP client would retry it
/// until its connect timeout, for every call.
enum ConnectProbe {
    /// What the connect found.
    enum Outcome: Sendable, Hashable {
        /// Some address accepted the connection.
        case reachable
        /// Every address refused it, or the name does not resolve: the reason.
        case unreachable(String)
        /// It timed out or failed otherwise: left to the client's own retries.
        case unknown
    }

    /// Connects to `host:port` on a thread of its own (connects and name lookups block).
    static func check(host: String, port: Int, timeout: Double = 5) async -> Outcome {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: checkBlocking(host: host, port: port, timeout: timeout))
            }
        }
    }

    static func checkBlocking(host: String, port: Int, timeout: Double) -> Outcome {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            if rc == EAI_NONAME { return .unreachable("cannot resolve the host name \(host)") }
            return .unknown
        }
        defer { freeaddrinfo(list) }
        var reasons: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            node = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            var code: Int32 = 0
            if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                code = errno
                if code == EINPROGRESS {
                    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return .unknown }
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    code = 0
                    _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                }
            }
            if code == 0 { return .reachable }
            guard [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(code) else { return .unknown }
            reasons.append(String(cString: strerror(code)).lowercased())
        }
        return reasons.isEmpty ? .unknown : .unreachable(Array(Set(reasons)).sorted().joined(separator: ", "))
    }
}
