import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// The keep-alive connections of ``HTTP1Transport`` to one host and port, on one event loop.
///
/// A send takes an idle connection or opens one (there is no limit: the caller's window bounds
/// how many calls are out), and an exchange that ends cleanly puts its connection back. A
/// connection the server closes while idle leaves the pool as it closes; at most
/// ``idleLimit`` idle ones are kept.
final class HTTP1ConnectionPool: Sendable {
    /// A connection and its exchange handler (which lives on the connection's loop).
    struct Connection: Sendable {
        let channel: any Channel
        let handler: NIOLoopBound<HTTP1ExchangeHandler>
    }

    private struct State {
        var idle: [Connection] = []
        var isShutDown = false
    }

    /// Idle connections kept beyond this many are closed.
    static let idleLimit = 1024

    let loop: any EventLoop
    let host: String
    let port: Int
    let connectTimeout: TimeAmount
    private let state = NIOLockedValueBox(State())

    init(loop: any EventLoop, host: String, port: Int, connectTimeout: TimeAmount) {
        self.loop = loop
        self.host = host
        self.port = port
        self.connectTimeout = connectTimeout
    }

    /// An idle connection, or a new one.
    func acquire() -> EventLoopFuture<Connection> {
        let taken: Connection?? = state.withLockedValue { state in
            if state.isShutDown { return .some(nil) }
            while let connection = state.idle.popLast() {
                if connection.channel.isActive { return connection }
            }
            return nil
        }
        switch taken {
        case .some(.some(let connection)): return loop.makeSucceededFuture(connection)
        case .some(.none): return loop.makeFailedFuture(HTTP1Failure.connectionClosed)
        case .none: return connect()
        }
    }

    private func connect() -> EventLoopFuture<Connection> {
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Every header but Content-Length is checked once by the transport (``HTTP1Transport``).
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                    try channel.pipeline.syncOperations.addHandler(HTTP1ExchangeHandler(loop: channel.eventLoop))
                }
            }
        // An address needs no resolver (and a refused connect then fails with the plain errno).
        let connected: EventLoopFuture<any Channel>
        if let address = try? SocketAddress(ipAddress: host, port: port) {
            connected = bootstrap.connect(to: address)
        } else {
            connected = bootstrap.connect(host: host, port: port)
        }
        return connected.flatMapThrowing { [self] channel in
            let handler = try channel.pipeline.syncOperations.handler(type: HTTP1ExchangeHandler.self)
            let connection = Connection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
            handler.onEnd = { [self] disposition in
                switch disposition {
                case .reuse: release(connection)
                case .close: remove(channel)
                }
            }
            return connection
        }
    }

    private func release(_ connection: Connection) {
        let keep = state.withLockedValue { state in
            guard !state.isShutDown, state.idle.count < Self.idleLimit else { return false }
            state.idle.append(connection)
            return true
        }
        if !keep { connection.channel.close(promise: nil) }
    }

    private func remove(_ channel: any Channel) {
        state.withLockedValue { state in
            state.idle.removeAll { $0.channel === channel }
        }
    }

    /// Closes the idle connections; those still in use close when their exchange ends.
    func shutdown() async {
        let idle = state.withLockedValue { state in
            state.isShutDown = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle {
            try? await connection.channel.close()
        }
    }
}
