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
    /// Parsed request URLs by their text: an import sends every add to the same URL.
    let urls = URLCache()

    /// Sends one attempt and waits for the whole answer.
    ///
    /// This uses AsyncHTTPClient's future-based API with a response accumulator: the answer is
    /// gathered on the connection's event loop and the task resumes once, with all of it. The
    /// `async` API resumes the task for the head and again for each body part, and at a thousand
    /// calls a second those hops were a good share of a call's time. Cancelling the task cancels
    /// the request.
    func send(_ endpoint: Endpoint) async throws -> HTTPReply {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Token \(apiKey.value)")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: userAgent)
        let progress = BodyProgress()
        var body: HTTPClient.Body?
        if let data = endpoint.body {
            headers.add(name: "Content-Type", value: "application/json")
            body = Self.trackedBody(ByteBuffer(bytes: data), progress: progress)
        }
        do {
            let request = try HTTPClient.Request(
                url: urls.url(endpoint.url(base: baseURL)), method: endpoint.method, headers: headers, body: body)
            let accumulator = ResponseAccumulator(request: request, maxBodySize: maxResponseBytes)
            let task = http.execute(
                request: request, delegate: accumulator, deadline: .now() + .milliseconds(Int64(timeout * 1000)))
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return HTTPReply(
                status: Int(response.status.code), headers: response.headers,
                body: response.body.map { Data($0.readableBytesView) } ?? Data())
        } catch let error as MemoryAPIError {
            throw error
        } catch is ResponseAccumulator.ResponseTooBigError {
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

    /// A body written in one part once the request head is on the wire; `progress` learns when
    /// the connection asked for it (the request may have reached the server from then on) and
    /// when the write finished.
    static func trackedBody(_ buffer: ByteBuffer, progress: BodyProgress) -> HTTPClient.Body {
        .stream(contentLength: Int64(buffer.readableBytes)) { writer in
            progress.advance(to: .started)
            return writer.write(.byteBuffer(buffer)).map { progress.advance(to: .finished) }
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
