import AsyncHTTPClient
import Foundation
import MemoryAPI
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one attempt of an ``Endpoint`` over AsyncHTTPClient and returns the reply of any status.
///
/// Failures without a reply become a `MemoryAPIError` coded `timeout` or `connection`, marked
/// `mayHaveBeenApplied` when the request could have reached the server whole. The API key
/// goes into the `Authorization` header and nowhere else: not into URLs, messages or logs.
struct Transport: Sendable {
    let http: HTTPClient
    let baseURL: String
    let apiKey: APIKey
    let timeout: Double
    let maxResponseBytes: Int
    let userAgent: String

    func send(_ endpoint: Endpoint) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: endpoint.url(base: baseURL))
        request.method = endpoint.method
        request.headers.add(name: "Authorization", value: "Token \(apiKey.value)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        let progress = BodyProgress()
        if let body = endpoint.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            if body.count <= TrackedBytes.largest {
                request.body = .bytes(
                    TrackedBytes(bytes: Array(body), progress: progress), length: .known(Int64(body.count)))
            } else {
                request.body = .stream(
                    TrackedBody(buffer: ByteBuffer(bytes: body), progress: progress), length: .known(Int64(body.count)))
            }
        }
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let bytes = try await response.body.collect(upTo: maxResponseBytes)
            return HTTPReply(
                status: Int(response.status.code), headers: response.headers, body: Data(bytes.readableBytesView))
        } catch let error as MemoryAPIError {
            throw error
        } catch is NIOTooManyBytesError {
            throw MemoryAPIError(
                .decoding, "\(endpoint.label): the answer is larger than \(maxResponseBytes) bytes",
                mayHaveBeenApplied: endpoint.effect.changesState)
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .cancelled {
            throw CancellationError()
        } catch {
            throw Self.classify(error, endpoint: endpoint, bodyStage: progress.stage)
        }
    }

    /// Maps an AsyncHTTPClient or NIO failure to `timeout` or `connection`, and decides whether
    /// the request may have been applied.
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

    /// A short description of a transport error (never carries headers).
    static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError { return e.shortDescription }
        return MemoryAPIError.truncate(String(describing: error), limit: 200)
    }
}
