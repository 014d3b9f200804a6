import AsyncHTTPClient
import Foundation
import MemoryAPI
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one attempt of an ``Endpoint`` and returns the reply of any status.
///
/// Failures without a reply are `MemoryAPIError`s coded `timeout` or `connection`, marked
/// `mayHaveBeenApplied` when the request could have reached the server whole
/// (``classify(_:endpoint:bodyStage:)``). The API key goes into the `Authorization` header and
/// nowhere else: not into URLs, messages or logs.
///
/// Two implementations: ``HTTP1Transport`` for `http://` targets (memport's own HTTP/1.1
/// connections, one write per request) and ``AsyncHTTPClientTransport`` for the rest (TLS, or
/// an `HTTPClient` the caller passes in).
protocol Transport: Sendable {
    /// Sends one attempt and waits for the whole answer; cancelling the task cancels it.
    func send(_ endpoint: Endpoint) async throws -> HTTPReply
    /// Closes what the transport opened.
    func shutdown() async throws
}

/// What every request of a client carries, and how long and large its answer may be.
struct RequestSettings: Sendable {
    let apiKey: APIKey
    /// Seconds one attempt may take, from connecting to the last byte of the answer.
    let timeout: Double
    let maxResponseBytes: Int
    let userAgent: String

    /// The headers of every request: the key, JSON both ways, and who is calling.
    func headers(hasBody: Bool) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Token \(apiKey.value)")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: userAgent)
        if hasBody { headers.add(name: "Content-Type", value: "application/json") }
        return headers
    }

    /// The deadline of an attempt that starts now.
    var deadline: NIODeadline { .now() + .milliseconds(Int64(timeout * 1000)) }
}

/// How a transport failure without an answer becomes a `MemoryAPIError`.
enum TransportFailure {
    /// Maps an AsyncHTTPClient, NIO or ``HTTP1Failure`` to `timeout` or `connection`, and
    /// decides whether the request may have been applied: never for a read or a request that
    /// never left (refused, timed out connecting); for a request with a body, once the body was
    /// handed over; for one without, once connected.
    static func classify(_ error: any Error, endpoint: Endpoint, bodyStage: BodyProgress.Stage) -> MemoryAPIError {
        let timeouts: [HTTPClientError] = [
            .readTimeout, .writeTimeout, .connectTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout,
            .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout,
        ]
        let beforeSending: [HTTPClientError] = [
            .connectTimeout, .getConnectionFromPoolTimeout, .tlsHandshakeTimeout, .socksHandshakeTimeout,
            .httpProxyHandshakeTimeout,
        ]
        var isTimeout = false
        var neverSent = false
        if let e = error as? HTTPClientError {
            isTimeout = timeouts.contains(e)
            neverSent = beforeSending.contains(e)
        } else if let e = error as? HTTP1Failure {
            isTimeout = e == .deadlineExceeded
        } else if let e = error as? ChannelError, case .connectTimeout = e {
            isTimeout = true
            neverSent = true
        } else if error is NIOConnectionError {
            neverSent = true
        } else if let e = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(e.errnoCode) {
            neverSent = true
        }
        let mayHaveBeenApplied: Bool
        if !endpoint.effect.changesState || neverSent {
            mayHaveBeenApplied = false
        } else if endpoint.body != nil {
            mayHaveBeenApplied = bodyStage != .notStarted
        } else {
            mayHaveBeenApplied = true
        }
        let what = isTimeout ? "timed out" : "failed"
        return MemoryAPIError(
            isTimeout ? .timeout : .connection, "\(endpoint.label) \(what): \(describe(error))",
            mayHaveBeenApplied: mayHaveBeenApplied)
    }

    /// The error for an answer larger than the client accepts.
    static func tooLarge(_ endpoint: Endpoint, limit: Int) -> MemoryAPIError {
        MemoryAPIError(
            .decoding, "\(endpoint.label): the answer is larger than \(limit) bytes",
            mayHaveBeenApplied: endpoint.effect.changesState)
    }

    /// A short description of a transport error (never carries headers).
    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError { return e.shortDescription }
        return MemoryAPIError.truncate(String(describing: error), limit: 200)
    }
}
