import Foundation
import MemoryAPI
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The ``Transport`` for `http://` targets: memport's own keep-alive HTTP/1.1 connections on the
/// client's event loop.
///
/// Each request leaves as one write (head, body and end with one flush) on a connection that
/// carries one exchange at a time, and its answer is gathered on the loop and handed over whole.
/// AsyncHTTPClient flushes a request's head before asking for its body, so on a reused
/// connection every add cost two system calls and the server an extra wake-up, and its
/// per-request pool and request state machines were a third of the client's time per call.
///
/// A request is marked possibly applied (``BodyProgress`` `finished`) once the kernel took every
/// byte of it: a write that fails leaves the server an incomplete request, which it cannot apply.
struct HTTP1Transport: Transport {
    let pool: HTTP1ConnectionPool
    let settings: RequestSettings
    /// The `Host` header: the base URL's host and port.
    let hostHeader: String
    /// The base URL's path (percent-encoded, no trailing slash), prefixed to every target.
    let pathPrefix: String
    /// The headers of every request with a body and of every one without, `Host` included:
    /// checked once here, so the connections skip NIO's per-request header validation.
    let bodyHeaders: HTTPHeaders
    let plainHeaders: HTTPHeaders

    /// A transport for `baseURL`, or nil when it is not a plain `http://` URL.
    init?(baseURL: String, settings: RequestSettings, connectTimeout: Double, loop: any EventLoop) {
        guard let components = URLComponents(string: baseURL), components.scheme?.lowercased() == "http",
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
        else { return nil }
        let port = components.port ?? 80
        // An IPv6 address is bracketed in the URL and the `Host` header, bare for connecting.
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let bracketed = bare.contains(":") ? "[\(bare)]" : bare
        hostHeader = components.port == nil ? bracketed : "\(bracketed):\(port)"
        var prefix = components.percentEncodedPath
        while prefix.hasSuffix("/") { prefix.removeLast() }
        pathPrefix = prefix
        pool = HTTP1ConnectionPool(
            loop: loop, host: bare, port: port, connectTimeout: .milliseconds(Int64(connectTimeout * 1000)))
        self.settings = settings
        var withHost = [true, false].map { settings.headers(hasBody: $0) }
        for i in withHost.indices { withHost[i].add(name: "Host", value: hostHeader) }
        let unsafe = withHost[0].contains { header in
            (header.name + header.value).utf8.contains { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }
        }
        if unsafe { return nil }  // AsyncHTTPClient refuses such a header with its own error
        (bodyHeaders, plainHeaders) = (withHost[0], withHost[1])
    }

    func send(_ endpoint: Endpoint) async throws -> HTTPReply {
        var headers = endpoint.body == nil ? plainHeaders : bodyHeaders
        let body = endpoint.body.map { ByteBuffer(bytes: $0) }
        if let body {
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        } else if [.POST, .PUT, .PATCH].contains(endpoint.method) {
            headers.add(name: "Content-Length", value: "0")
        }
        let head = HTTPRequestHead(
            version: .http1_1, method: endpoint.method, uri: endpoint.target(under: pathPrefix), headers: headers)
        let progress = BodyProgress()
        let deadline = settings.deadline
        let (pool, maxResponseBytes) = (self.pool, settings.maxResponseBytes)
        let inUse = NIOLockedValueBox<(any Channel)?>(nil)
        do {
            let answer = pool.acquire().flatMap { connection in
                inUse.withLockedValue { $0 = connection.channel }
                return connection.handler.value.start(
                    head: head, body: body, progress: progress, maxResponseBytes: maxResponseBytes, deadline: deadline)
            }
            return try await withTaskCancellationHandler {
                try await answer.get()
            } onCancel: {
                inUse.withLockedValue { $0 }?.close(promise: nil)
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            if let failure = error as? HTTP1Failure, failure == .responseTooBig {
                throw TransportFailure.tooLarge(endpoint, limit: maxResponseBytes)
            }
            throw TransportFailure.classify(error, endpoint: endpoint, bodyStage: progress.stage)
        }
    }

    func shutdown() async throws {
        await pool.shutdown()
    }
}
