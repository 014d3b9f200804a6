import Foundation
import Hummingbird
import MemoryAPI

/// Builds JSON responses; memories spell the run id both ways (`run_id` and `session_id`) so
/// every SDK version finds it.
enum JSONResponse {
    /// Encodes a value with the server's encoder.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.userInfo[RunIDSpelling.userInfoKey] = RunIDSpelling.both
        return try encoder.encode(value)
    }

    /// A response with a JSON body.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data: Data
        do {
            data = try encode(value)
        } catch {
            return make(
                data: Data(#"{"detail":"the response could not be encoded"}"#.utf8), status: .internalServerError)
        }
        return make(data: data, status: status)
    }

    /// A listing of memories, the largest answers: written straight (the same JSON, keys sorted).
    static func make(_ page: Page<Memory>, status: HTTPResponse.Status = .ok) -> Response {
        make(data: Data(page.jsonString(spelling: .both).utf8), status: status)
    }

    /// An add answer, the most frequent: written straight, as its encoder would.
    static func make(_ answer: AddResponse, status: HTTPResponse.Status = .ok) -> Response {
        make(buffer: ByteBuffer(string: answer.jsonString()), status: status)
    }

    /// A response with JSON bytes.
    static func make(data: Data, status: HTTPResponse.Status) -> Response {
        make(buffer: ByteBuffer(bytes: data), status: status)
    }

    /// A response with a buffer of JSON.
    static func make(buffer: ByteBuffer, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// `{"message": text}`.
    static func message(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        make(JSONValue.object(["message": .string(text)]), status: status)
    }
}
