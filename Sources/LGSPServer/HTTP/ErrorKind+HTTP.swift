import HTTPTypes
import LGSPCore

extension ErrorKind {
    /// The one place where error kinds become HTTP statuses.
    var httpStatus: HTTPResponse.Status {
        switch self {
        case .invalidRequest: .badRequest
        case .unprocessable: .unprocessableContent
        case .tooLarge: .contentTooLarge
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .gone: .gone
        case .internalFailure: .internalServerError
        case .unavailable: .serviceUnavailable
        case .badGateway: .badGateway
        case .gatewayTimeout: .gatewayTimeout
        }
    }
}

extension ErrorCode {
    /// The HTTP status of this code.
    public var httpStatusCode: Int { kind.httpStatus.code }
}
