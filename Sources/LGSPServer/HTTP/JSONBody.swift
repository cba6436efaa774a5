import Foundation
import HTTPTypes
import Hummingbird
import LGSPAPI
import LGSPAuth
import LGSPCore
import NIOCore

/// Reading JSON request bodies within a size limit and writing JSON answers, with decoding failures
/// turned into `request.*` errors that name the member at fault.
enum JSONBody {
    /// Decodes `T` from `body`; an empty body decodes `{}` when `allowEmpty`.
    static func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, allowEmpty: Bool = false) throws -> T {
        let data: Data
        if body.readableBytes == 0 {
            guard allowEmpty else { throw LGSPError(.malformedJSON, "the request needs a JSON body") }
            data = Data("{}".utf8)
        } else {
            data = Data(buffer: body, byteTransferStrategy: .noCopy)
        }
        do {
            return try APICoding.makeDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw translate(error)
        }
    }

    static func translate(_ error: DecodingError) -> LGSPError {
        switch error {
        case .keyNotFound(let key, let context):
            let path = fieldPath(context.codingPath + [key])
            return LGSPError(.missingField, "required member '\(path)' is missing", field: path)
        case .typeMismatch(let type, let context):
            let path = fieldPath(context.codingPath)
            return LGSPError(.invalidField, "member '\(path)' must be \(describe(type))", field: path)
        case .valueNotFound(let type, let context):
            let path = fieldPath(context.codingPath)
            return LGSPError(.invalidField, "member '\(path)' must be \(describe(type)), not null", field: path)
        case .dataCorrupted(let context):
            let path = fieldPath(context.codingPath)
            if let unknown = context.underlyingError as? UnknownFieldError {
                return LGSPError(.unknownField, "unknown member '\(path)' (\(context.debugDescription))", field: path,
                    details: ["member": unknown.name])
            }
            if context.codingPath.isEmpty {
                return LGSPError(.malformedJSON, "the body is not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
            }
            return LGSPError(.invalidField, "member '\(path)': \(context.debugDescription)", field: path)
        @unknown default:
            return LGSPError(.malformedJSON, "the body could not be decoded")
        }
    }

    static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(body)" : text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : (String(describing: type).hasPrefix("Dictionary") ? "an object" : "a valid \(type)")
        }
    }

    /// A JSON answer.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try APICoding.makeEncoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Hub {
    /// Reads a JSON request's body (bounded), authenticates it with the body's hash, and decodes it.
    func authenticatedJSON<T: Decodable>(
        _ type: T.Type, _ request: Request, allowEmpty: Bool = false
    ) async throws -> (Caller, T) {
        let body = try await request.body.collect(upTo: configuration.maxJSONBytes)
        let caller = try await authenticator.authenticate(
            request.signable, payload: .body(sha256: SigV4Canonical.payloadHash(body.readableBytesView), bytes: Data(body.readableBytesView)))
        return (caller, try JSONBody.decode(T.self, from: body, allowEmpty: allowEmpty))
    }

    /// Authenticates a request without a body (GET, HEAD, or POST with nothing to send).
    func authenticated(_ request: Request) async throws -> Caller {
        let body = try await request.body.collect(upTo: configuration.maxJSONBytes)
        return try await authenticator.authenticate(
            request.signable, payload: .body(sha256: SigV4Canonical.payloadHash(body.readableBytesView), bytes: Data(body.readableBytesView)))
    }

    /// The base URL clients use to reach this hub (for spaces): configured, or from the request.
    func baseURL(for request: Request) -> String {
        if let url = configuration.publicURL { return url.hasSuffix("/") ? String(url.dropLast()) : url }
        let scheme = configuration.usesTLS ? "https" : "http"
        return "\(scheme)://\(request.head.authority ?? "\(configuration.host):\(configuration.port)")"
    }
}

extension Parameters {
    /// The `{id}` path parameter as a packet id, or `request.invalid_field`.
    func packetID() throws -> PacketID {
        let text = get("id") ?? ""
        guard let id = PacketID(text) else {
            throw LGSPError(.invalidField, "'\(text)' is not a packet id (a UUID)", field: "id")
        }
        return id
    }
}
