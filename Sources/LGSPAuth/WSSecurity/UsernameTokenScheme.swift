import Crypto
import Foundation
import LGSPCore

/// A WS-Security UsernameToken as read from a SOAP header (OASIS WSS UsernameToken Profile 1.1).
public struct UsernameToken: Sendable, Hashable {
    /// `wsse:Username`: the app's access key.
    public var username: String
    /// `wsse:Password` text (base64 of the digest).
    public var password: String
    /// The `Type` attribute of `wsse:Password` (`…#PasswordDigest` or `…#PasswordText`); nil when absent.
    public var passwordType: String?
    /// `wsse:Nonce`, base64.
    public var nonce: String?
    /// `wsu:Created`, an ISO 8601 date-time.
    public var created: String?

    public init(username: String, password: String, passwordType: String?, nonce: String?, created: String?) {
        self.username = username
        self.password = password
        self.passwordType = passwordType
        self.nonce = nonce
        self.created = created
    }

    /// The digest the profile defines: Base64(SHA-1(nonce bytes + created + password)).
    public static func digest(nonce: Data, created: String, password: String) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: nonce)
        hasher.update(data: Data(created.utf8))
        hasher.update(data: Data(password.utf8))
        return Data(hasher.finalize()).base64EncodedString()
    }
}

/// Verifies WS-Security UsernameTokens with `PasswordDigest`, for SOAP systems that can do nothing else.
///
/// The username is the access key and the password the secret key. Required: a digest password
/// (`PasswordText` is refused: it would send the secret itself), a base64 nonce of 8 to 64 bytes
/// (refused when seen twice within the nonce window) and `Created` within `allowedSkew` of the hub's
/// clock. The digest is SHA-1 based, so it counts as `hmac-sha1` for the app's policy (`allowSHA1`).
public struct UsernameTokenScheme: Sendable {
    public static let passwordDigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"

    /// Largest accepted difference between `Created` and the hub's clock, in seconds.
    public var allowedSkew: TimeInterval

    public init(allowedSkew: TimeInterval = 300) {
        self.allowedSkew = allowedSkew
    }

    /// Checks what needs no secret and returns the signature to verify (`RequestAuthenticator.authenticate(_:payload:)`).
    /// Throws `auth.malformed_authorization`, `auth.unsupported_algorithm` (PasswordText) or `auth.clock_skew`.
    public func parse(_ token: UsernameToken, now: Date) throws(LGSPError) -> ParsedSignature {
        guard !token.username.isEmpty, token.username.count <= 200 else {
            throw LGSPError(.malformedAuthorization, "the UsernameToken has no Username (the access key)")
        }
        if let type = token.passwordType, !type.hasSuffix("#PasswordDigest") {
            throw LGSPError(.unsupportedAlgorithm, "the UsernameToken password type \(type.split(separator: "#").last.map(String.init) ?? type) is not accepted: send a PasswordDigest (never the secret itself)",
                details: ["supported": "PasswordDigest"])
        }
        guard token.passwordType != nil else {
            throw LGSPError(.unsupportedAlgorithm, "the UsernameToken password has no Type: send Type=\"…#PasswordDigest\" (never the secret itself)",
                details: ["supported": "PasswordDigest"])
        }
        guard let nonceText = token.nonce, let nonce = Data(base64Encoded: nonceText), (8...64).contains(nonce.count) else {
            throw LGSPError(.malformedAuthorization, "the UsernameToken needs a Nonce of 8 to 64 bytes, base64")
        }
        guard let created = token.created, let createdAt = Self.parseDate(created) else {
            throw LGSPError(.malformedAuthorization, "the UsernameToken needs wsu:Created, an ISO 8601 date-time such as 2026-11-29T08:00:00Z")
        }
        if abs(createdAt.timeIntervalSince(now)) > allowedSkew {
            throw LGSPError(.clockSkew, "wsu:Created \(created) is more than \(Int(allowedSkew)) seconds away from the hub's time \(now.iso8601); correct the clock (GET /v1/time)",
                details: ["serverTime": now.iso8601, "requestTime": created])
        }
        guard let presented = Data(base64Encoded: token.password) else {
            throw LGSPError(.malformedAuthorization, "the UsernameToken password digest is not base64")
        }
        return ParsedSignature(scheme: .wsUsernameToken, keyID: token.username, algorithm: .hmacSHA1, nonce: nonceText) {
            credentials, _, _ throws(LGSPError) in
            for (index, secret) in credentials.secrets.enumerated() {
                let expected = Data(base64Encoded: UsernameToken.digest(nonce: nonce, created: created, password: secret)) ?? Data()
                if ConstantTime.equal(expected, presented) { return index }
            }
            throw LGSPError(.signatureMismatch, "the UsernameToken PasswordDigest does not match: it must be Base64(SHA-1(nonce bytes + Created + secret key)) with the access key as Username")
        }
    }

    /// ISO 8601 with or without fractional seconds, `Z` or an offset.
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

