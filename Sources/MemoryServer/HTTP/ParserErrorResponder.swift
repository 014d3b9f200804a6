import Foundation
import Hummingbird
import MemoryAPI
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Gives the bare 400 that Hummingbird writes for a request it cannot parse (headers over the
/// limit, a malformed request line) a JSON `detail`, like every other answer of the server.
///
/// It sits behind the HTTP/1 codec: it notes the parser's error on its way to Hummingbird and
/// fills in the body of the 400 head that follows.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The header limit the decoder applies (Hummingbird's default), for the message.
    static let headerLimitBytes = 80 * 1024

    private var detail: String?

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parser = error as? HTTPParserError { detail = Self.detail(parser) }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let detail, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest else {
            context.write(data, promise: promise)
            return
        }
        self.detail = nil
        let body = Data(JSONValue.object(["detail": .string(detail)]).jsonString().utf8)
        head.headerFields[.contentType] = "application/json"
        head.headerFields[.contentLength] = String(body.count)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(bytes: body))), promise: promise)
    }

    /// What the client is told.
    static func detail(_ error: HTTPParserError) -> String {
        switch error {
        case .headerOverflow:
            return "The request headers are larger than the limit of \(headerLimitBytes / 1024) KiB."
        default:
            return "The request is not valid HTTP/1.1 (\(error))."
        }
    }
}
