import Foundation
import NIOCore
import NIOHTTP1

/// The last handler of a plain HTTP/1.1 connection of ``HTTP1Transport``: one request and its
/// answer at a time.
///
/// A request goes out as head, body and end with one flush (one `writev` on the socket); the
/// answer is gathered here on the event loop and handed over whole, so the waiting task resumes
/// once. Everything runs on the connection's event loop.
final class HTTP1ExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// What happens to the connection once an exchange has ended.
    enum Disposition {
        /// The answer ended cleanly on a keep-alive connection whose request was written whole.
        case reuse
        /// The connection is closed (it failed, or the server asked to close it).
        case close
    }

    /// One request in progress (a class: the answer's body grows in place, never copied out of
    /// the state to be appended to).
    private final class Exchange {
        let promise: EventLoopPromise<HTTPReply>
        let progress: BodyProgress
        let maxResponseBytes: Int
        var head: HTTPResponseHead?
        var body: ByteBuffer?
        var written = false
        var timeout: Scheduled<Void>?

        init(promise: EventLoopPromise<HTTPReply>, progress: BodyProgress, maxResponseBytes: Int) {
            self.promise = promise
            self.progress = progress
            self.maxResponseBytes = maxResponseBytes
        }
    }

    private enum State {
        case idle
        case exchanging(Exchange)
        case closed
    }

    private var state = State.idle
    private var context: ChannelHandlerContext?
    private let loop: any EventLoop
    /// Told how each exchange ended, before its promise completes (so a task that sends again
    /// at once finds the connection back in the pool).
    var onEnd: ((Disposition) -> Void)?

    init(loop: any EventLoop) {
        self.loop = loop
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        onEnd = nil  // the pool's callback holds this handler: let both go
    }

    /// Writes `head` and `body` and answers with the whole reply, or fails with a
    /// ``HTTP1Failure`` or the channel's error. `progress` becomes `finished` once every byte of
    /// the request is handed to the kernel (from then on it may have reached the server whole).
    func start(
        head: HTTPRequestHead, body: ByteBuffer?, progress: BodyProgress, maxResponseBytes: Int, deadline: NIODeadline
    ) -> EventLoopFuture<HTTPReply> {
        guard let context, case .idle = state else { return loop.makeFailedFuture(HTTP1Failure.connectionClosed) }
        let promise = context.eventLoop.makePromise(of: HTTPReply.self)
        let exchange = Exchange(promise: promise, progress: progress, maxResponseBytes: maxResponseBytes)
        exchange.timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            fail(HTTP1Failure.deadlineExceeded)
        }
        state = .exchanging(exchange)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let written = context.eventLoop.makePromise(of: Void.self)
        written.futureResult.assumeIsolated().whenComplete { [self] result in
            switch result {
            case .success: requestWritten(promise)
            case .failure(let error): fail(error)
            }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        return promise.futureResult
    }

    private func requestWritten(_ promise: EventLoopPromise<HTTPReply>) {
        guard case .exchanging(let exchange) = state, exchange.promise.futureResult === promise.futureResult else {
            return
        }
        exchange.written = true
        exchange.progress.advance(to: .finished)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .exchanging(let exchange) = state else {
            // An answer nobody asked for: the connection is out of step; drop it.
            close(context: context)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            exchange.head = head
            exchange.body = nil
        case .body(var part):
            if exchange.body == nil {
                exchange.body = part
            } else {
                exchange.body!.writeBuffer(&part)
            }
            if exchange.body!.readableBytes > exchange.maxResponseBytes {
                fail(HTTP1Failure.responseTooBig)
            }
        case .end:
            guard let head = exchange.head else { return fail(HTTP1Failure.malformedAnswer) }
            // An informational answer (100 Continue and the like) precedes the real one.
            if head.status.code / 100 == 1 {
                exchange.head = nil
                return
            }
            exchange.timeout?.cancel()
            state = .idle
            let reply = HTTPReply(
                status: Int(head.status.code), headers: head.headers,
                body: exchange.body.map { Data($0.readableBytesView) } ?? Data())
            if head.isKeepAlive && exchange.written {
                onEnd?(.reuse)
            } else {
                close(context: context)
            }
            exchange.promise.succeed(reply)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(HTTP1Failure.connectionClosed)
        state = .closed
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
    }

    /// Fails the exchange in progress (if any) and closes the connection.
    private func fail(_ error: any Error) {
        let pending: Exchange?
        if case .exchanging(let exchange) = state { pending = exchange } else { pending = nil }
        if let context { close(context: context) } else { state = .closed }
        if let pending {
            pending.timeout?.cancel()
            pending.promise.fail(error)
        }
    }

    private func close(context: ChannelHandlerContext) {
        if case .closed = state { return }
        state = .closed
        onEnd?(.close)
        context.close(promise: nil)
    }
}

/// Why an exchange of ``HTTP1Transport`` ended without an answer, beyond the channel's own
/// errors.
enum HTTP1Failure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The attempt's time ran out.
    case deadlineExceeded
    /// The server closed the connection before the answer ended.
    case connectionClosed
    /// The answer is larger than the client accepts.
    case responseTooBig
    /// The answer did not parse as HTTP/1.
    case malformedAnswer

    var description: String {
        switch self {
        case .deadlineExceeded: "the attempt's deadline passed"
        case .connectionClosed: "the server closed the connection"
        case .responseTooBig: "the answer is too large"
        case .malformedAnswer: "the answer is not HTTP/1"
        }
    }
}
