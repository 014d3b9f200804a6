import AsyncHTTPClient
import Foundation
import MemoryAPI
import NIOCore
import NIOHTTP1
import NIOPosix

/// The ``Transport`` over AsyncHTTPClient: for `https://` targets and for an `HTTPClient` the
/// caller passes in.
struct AsyncHTTPClientTransport: Transport {
    let http: HTTPClient
    /// Whether ``shutdown()`` closes `http` (false for a client passed in).
    let ownsHTTPClient: Bool
    let baseURL: String
    let settings: RequestSettings
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
        let headers = settings.headers(hasBody: endpoint.body != nil)
        let progress = BodyProgress()
        let body = endpoint.body.map { Self.trackedBody(ByteBuffer(bytes: $0), progress: progress) }
        do {
            let request = try HTTPClient.Request(
                url: urls.url(endpoint.url(base: baseURL)), method: endpoint.method, headers: headers, body: body)
            let accumulator = ResponseAccumulator(request: request, maxBodySize: settings.maxResponseBytes)
            let task = http.execute(
                request: request, delegate: accumulator, deadline: settings.deadline)
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
            throw TransportFailure.tooLarge(endpoint, limit: settings.maxResponseBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .cancelled {
            throw CancellationError()
        } catch {
            throw TransportFailure.classify(error, endpoint: endpoint, bodyStage: progress.stage)
        }
    }

    func shutdown() async throws {
        if ownsHTTPClient { try await http.shutdown() }
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
}
