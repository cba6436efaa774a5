/// A stable, dotted error code that clients can rely on (X-Road style: `area.problem`).
///
/// Codes never change meaning once published; new problems get new codes. Every code carries the
/// kind of failure (which the HTTP and SOAP adapters map in one place each) and a one-line summary
/// used in documentation. `ErrorCodeTests` checks that codes are unique and documented in
/// `docs/ERRORS.md`.
public enum ErrorCode: String, CaseIterable, Sendable, Codable {
    // Request shape
    case malformedJSON = "request.malformed_json"
    case invalidField = "request.invalid_field"
    case missingField = "request.missing_field"
    case unknownField = "request.unknown_field"
    case bodyTooLarge = "request.body_too_large"
    case invalidQuery = "request.invalid_query"
    case invalidRange = "request.invalid_range"
    case routeNotFound = "request.route_not_found"
    case methodNotAllowed = "request.method_not_allowed"

    // Authentication and authorisation
    case missingSignature = "auth.missing_signature"
    case malformedAuthorization = "auth.malformed_authorization"
    case unsupportedAlgorithm = "auth.unsupported_algorithm"
    case unknownAccessKey = "auth.unknown_access_key"
    case appDisabled = "auth.app_disabled"
    case clockSkew = "auth.clock_skew"
    case credentialScopeMismatch = "auth.credential_scope_mismatch"
    case missingSignedHeader = "auth.missing_signed_header"
    case payloadHashMismatch = "auth.payload_hash_mismatch"
    case signatureMismatch = "auth.signature_mismatch"
    case presignedURLExpired = "auth.presigned_url_expired"
    case replayedNonce = "auth.replayed_nonce"
    case schemeNotAllowed = "auth.scheme_not_allowed"
    case serviceNotGranted = "auth.service_not_granted"
    case invalidSession = "auth.invalid_session"
    case sessionNotForService = "auth.session_not_for_service"
    case forbidden = "auth.forbidden"

    // Directory
    case invalidUnitCode = "directory.invalid_unit_code"
    case unitExists = "directory.unit_exists"
    case unitInactive = "directory.unit_inactive"
    case unknownUnit = "directory.unknown_unit"
    case unknownParent = "directory.unknown_parent"
    case unknownApp = "directory.unknown_app"
    case unknownSecret = "directory.unknown_secret"
    case serviceExists = "directory.service_exists"
    case unknownService = "directory.unknown_service"
    case invalidName = "directory.invalid_name"
    case invalidPattern = "directory.invalid_pattern"
    case invalidDataType = "directory.invalid_data_type"

    // Exchange
    case noRecipients = "exchange.no_recipients"
    case tooManyRecipients = "exchange.too_many_recipients"
    case unknownRecipient = "exchange.unknown_recipient"
    case recipientInactive = "exchange.recipient_inactive"
    case recipientReplaced = "exchange.recipient_replaced"
    case recipientNotGranted = "exchange.recipient_not_granted"
    case noReceivingApp = "exchange.no_receiving_app"
    case contentTooLarge = "exchange.content_too_large"
    case invalidDigest = "exchange.invalid_digest"
    case invalidPolicy = "exchange.invalid_policy"
    case idempotencyConflict = "exchange.idempotency_conflict"
    case unknownPacket = "exchange.unknown_packet"
    case notSource = "exchange.not_source"
    case notRecipient = "exchange.not_recipient"
    case uploadExpired = "exchange.upload_expired"
    case uploadComplete = "exchange.upload_complete"
    case uploadInProgress = "exchange.upload_in_progress"
    case uploadOffsetMismatch = "exchange.upload_offset_mismatch"
    case sizeMismatch = "exchange.size_mismatch"
    case digestMismatch = "exchange.digest_mismatch"
    case contentNotReady = "exchange.content_not_ready"
    case notAccepted = "exchange.not_accepted"
    case downloadExpired = "exchange.download_expired"
    case contentPurged = "exchange.content_purged"
    case ackDigestMismatch = "exchange.ack_digest_mismatch"
    case deliveryFinal = "exchange.delivery_final"
    case invalidTransition = "exchange.invalid_transition"

    // Transformation of content (mappings, schemas, safe XML)
    case malformedContent = "transform.malformed_content"
    case unsafeXML = "transform.unsafe_xml"
    case contentLimitExceeded = "transform.limit_exceeded"
    case schemaViolation = "transform.schema_violation"
    case unknownCode = "transform.unknown_code"
    case ambiguousCode = "transform.ambiguous_code"
    case ruleFailed = "transform.rule_failed"
    case noMapping = "transform.no_mapping"

    // Mapping files and the schemas and catalogues they name
    case invalidMapping = "mapping.invalid"
    case missingMappingFile = "mapping.missing_file"
    case invalidSchema = "mapping.invalid_schema"
    case mappingTestFailed = "mapping.test_failed"

    // Shared catalogues published to connected systems
    case unknownCatalogue = "catalogue.unknown"

    // Service calls through the hub
    case providerUnreachable = "service.provider_unreachable"
    case providerTimeout = "service.provider_timeout"

    // File-drop folders
    case unsafeFile = "filedrop.unsafe_file"

    // SOAP document service (edXML)
    case soapVersionMismatch = "soap.version_mismatch"
    case soapUnknownOperation = "soap.unknown_operation"
    case invalidEdXML = "edxml.invalid_document"

    // Operations: maintenance windows and the incident log (Articles 13, 15.6)
    case invalidMaintenanceWindow = "operations.invalid_window"
    case unknownMaintenance = "operations.unknown_maintenance"
    case maintenanceClosed = "operations.maintenance_closed"
    case unknownIncident = "operations.unknown_incident"
    case incidentResolved = "operations.incident_resolved"

    // Server side: the shared content store (an S3-compatible object store) cannot serve
    case storageUnreachable = "server.storage_unreachable"
    case storageAccessDenied = "server.storage_access_denied"
    case storageBucketMissing = "server.storage_bucket_missing"

    // SSO (OpenID Connect provider): officials and registered client apps (Article 11)
    case officialExists = "account.official_exists"
    case unknownOfficial = "account.unknown_official"
    case ssoClientExists = "sso.client_exists"
    case unknownSSOClient = "sso.unknown_client"
    case invalidGrant = "sso.invalid_grant"

    // Federation between hubs (peer links)
    case notPeer = "federation.not_peer"
    case packetConflict = "federation.packet_conflict"

    // Server side
    case storageFailure = "server.storage_failure"
    case internalError = "server.internal_error"
    case unavailable = "server.unavailable"

    /// What kind of failure the code is; adapters map kinds to their protocol (HTTP status, SOAP fault).
    public var kind: ErrorKind {
        switch self {
        case .malformedJSON, .invalidField, .missingField, .unknownField, .invalidQuery,
             .invalidUnitCode, .invalidName, .invalidPattern, .invalidDataType,
             .noRecipients, .tooManyRecipients, .invalidDigest, .invalidPolicy, .soapVersionMismatch, .soapUnknownOperation,
             .invalidMaintenanceWindow,
             .invalidGrant:
            return .invalidRequest
        case .unknownRecipient, .recipientInactive, .recipientReplaced, .recipientNotGranted, .noReceivingApp, .unknownParent,
             .sizeMismatch, .digestMismatch, .ackDigestMismatch,
             .malformedContent, .unsafeXML, .schemaViolation, .unknownCode, .ambiguousCode, .ruleFailed, .noMapping,
             .invalidMapping, .invalidSchema, .mappingTestFailed, .unsafeFile, .invalidEdXML:
            return .unprocessable
        case .bodyTooLarge, .contentTooLarge, .contentLimitExceeded:
            return .tooLarge
        case .invalidRange:
            return .rangeNotSatisfiable
        case .routeNotFound, .unknownUnit, .unknownApp, .unknownSecret, .unknownService, .unknownPacket, .missingMappingFile,
             .unknownCatalogue, .unknownMaintenance, .unknownIncident,
             .unknownOfficial, .unknownSSOClient:
            return .notFound
        case .methodNotAllowed:
            return .methodNotAllowed
        case .missingSignature, .malformedAuthorization, .unsupportedAlgorithm, .unknownAccessKey, .clockSkew,
             .credentialScopeMismatch, .missingSignedHeader, .payloadHashMismatch, .signatureMismatch,
             .presignedURLExpired, .replayedNonce, .schemeNotAllowed, .invalidSession:
            return .unauthenticated
        case .notPeer,
             .appDisabled, .forbidden, .notSource, .notRecipient, .serviceNotGranted, .sessionNotForService:
            return .forbidden
        case .providerUnreachable:
            return .badGateway
        case .providerTimeout:
            return .gatewayTimeout
        case .unitExists, .unitInactive, .serviceExists, .idempotencyConflict, .uploadComplete, .uploadInProgress, .uploadOffsetMismatch,
             .contentNotReady, .notAccepted, .deliveryFinal, .invalidTransition, .packetConflict,
             .maintenanceClosed, .incidentResolved,
             .officialExists, .ssoClientExists:
            return .conflict
        case .uploadExpired, .downloadExpired, .contentPurged:
            return .gone
        case .storageFailure, .internalError:
            return .internalFailure
        case .unavailable, .storageUnreachable, .storageAccessDenied, .storageBucketMissing:
            return .unavailable
        }
    }

    /// Whether the caller (client) or the hub (server) is at fault.
    public var side: ErrorSide {
        switch kind {
        case .internalFailure, .unavailable, .badGateway, .gatewayTimeout: .server
        default: .client
        }
    }
}

/// The families of failure that adapters translate into their wire protocol.
public enum ErrorKind: String, Sendable {
    case invalidRequest, unprocessable, tooLarge, rangeNotSatisfiable, notFound, methodNotAllowed
    case unauthenticated, forbidden, conflict, gone, internalFailure, unavailable, badGateway, gatewayTimeout
}

/// Who must act to fix a failure.
public enum ErrorSide: String, Sendable, Codable { case client, server }
