import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A loopback TCP server that reads whole HTTP/1.1 requests and does to each what a script says:
/// answer with given bytes, close the connection, or say nothing. It records every request's
/// text and counts connections, for the transport's behaviour at the edges of the protocol.
final class ScriptedHTTPServer: Sendable {
    /// What the server does with one request.
    enum Action: Sendable {
        /// Writes these bytes (a whole answer, or several).
        case answer(String)
        /// Closes the connection without answering.
        case close
        /// Neither answers nor closes.
        case silent
    }

    private struct Log {
        var requests: [String] = []
        var connections = 0
    }

    let port: Int
    private let channel: any Channel
    private let log: NIOLockedValueBox<Log>

    /// Starts a server on 127.0.0.1 that does `script[n]` with the n-th request (from 0), and
    /// the script's last action with every request after its end.
    init(script: [Action]) async throws {
        let script: @Sendable (Int) -> Action = { script[min($0, script.count - 1)] }
        let log = NIOLockedValueBox(Log())
        self.log = log
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                log.withLockedValue { $0.connections += 1 }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(RequestReader(log: log, script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    /// `http://127.0.0.1:PORT` with `path` after it.
    func url(_ path: String = "") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The requests read so far, head and body as text.
    var requests: [String] { log.withLockedValue { $0.requests } }
    /// The connections accepted so far.
    var connections: Int { log.withLockedValue { $0.connections } }

    func stop() async {
        try? await channel.close()
    }

    private final class RequestReader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let log: NIOLockedValueBox<Log>
        let script: @Sendable (Int) -> Action
        var pending = ""

        init(log: NIOLockedValueBox<Log>, script: @escaping @Sendable (Int) -> Action) {
            self.log = log
            self.script = script
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
            while let request = takeRequest() {
                let n = log.withLockedValue { log in
                    log.requests.append(request)
                    return log.requests.count - 1
                }
                switch script(n) {
                case .answer(let text):
                    context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
                case .close:
                    context.close(promise: nil)
                    return
                case .silent:
                    break
                }
            }
        }

        /// The first whole request in `pending` (head to the end of a Content-Length body).
        private func takeRequest() -> String? {
            guard let end = pending.range(of: "\r\n\r\n") else { return nil }
            let head = pending[..<end.upperBound]
            let length =
                head.split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let bodyStart = end.upperBound
            let utf8 = pending.utf8
            guard let start = bodyStart.samePosition(in: utf8), utf8.distance(from: start, to: utf8.endIndex) >= length
            else { return nil }
            let bodyEnd = utf8.index(start, offsetBy: length)
            let request = String(pending[..<bodyEnd])
            pending = String(pending[bodyEnd...])
            return request
        }
    }
}
