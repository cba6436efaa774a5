import Foundation
import LGSPAPI
import LGSPCore

/// Domain values in their wire form.
extension ContentInfo {
    init(_ content: ContentDescriptor) {
        self.init(size: content.size, sha256: content.sha256.hex, mediaType: content.mediaType)
    }
}

extension DeliveryBody {
    init(_ delivery: Delivery, history: [DeliveryHistoryEntry]? = nil, traces: [DeliveryTrace] = []) {
        let own = traces.filter { $0.appID == delivery.appID }
        self.init(
            recipient: delivery.recipient, appId: delivery.appID, state: delivery.state, updatedAt: delivery.updatedAt,
            reason: delivery.reason,
            history: history?.filter { $0.appID == delivery.appID }.map { HistoryBody(state: $0.state, at: $0.at, reason: $0.reason) },
            format: delivery.variant?.format.rawValue, content: delivery.variant.map { ContentInfo($0.content) },
            traces: own.isEmpty ? nil : own.map(TraceBody.init))
    }
}

extension TraceBody {
    init(_ trace: DeliveryTrace) {
        self.init(
            status: trace.status.rawValue, name: trace.status.name, description: trace.description, staff: trace.staff,
            reportedAt: trace.reportedAt, at: trace.at)
    }
}

extension PacketBody {
    init(_ packet: Packet, deliveries: [Delivery], history: [DeliveryHistoryEntry]?, receivedBytes: Int64? = nil, traces: [DeliveryTrace] = []) {
        self.init(
            id: packet.id, from: packet.sourceUnit, to: packet.recipients, subject: packet.subject, priority: packet.priority,
            dataType: packet.dataType.rawValue, protocol: packet.exchangeProtocol, content: ContentInfo(packet.content),
            policy: PolicyBody(notBefore: packet.policy.notBefore, deadline: packet.policy.deadline), idempotencyKey: packet.idempotencyKey,
            state: packet.state, createdAt: packet.createdAt, uploadExpiresAt: packet.uploadExpiresAt, uploadedAt: packet.uploadedAt,
            finishedAt: packet.finishedAt, purgedAt: packet.purgedAt, contentAvailable: packet.purgedAt == nil && packet.uploadedAt != nil,
            receivedBytes: receivedBytes, originHub: packet.originHub,
            deliveries: deliveries.map { DeliveryBody($0, history: history, traces: traces) },
            redirects: packet.redirects.isEmpty ? nil : packet.redirects.map(RedirectBody.init))
    }
}

extension InboxItem {
    init(_ entry: InboxEntry) {
        self.init(
            id: entry.packet.id, from: entry.packet.sourceUnit, recipient: entry.delivery.recipient, subject: entry.packet.subject,
            priority: entry.packet.priority, dataType: entry.packet.dataType.rawValue,
            content: ContentInfo(entry.delivery.content(of: entry.packet)),
            state: entry.delivery.state, createdAt: entry.packet.createdAt, deadline: entry.packet.policy.deadline)
    }
}

extension UnitBody {
    init(_ unit: Unit) {
        self.init(
            code: unit.code, name: unit.name, parent: unit.parent, status: unit.status, createdAt: unit.createdAt,
            formerNames: unit.formerNames.isEmpty ? nil : unit.formerNames, formerCodes: unit.formerCodes.isEmpty ? nil : unit.formerCodes,
            replacement: unit.replacement.map { UnitReplacementBody(by: $0.successors, reason: $0.reason, effective: $0.effective) })
    }
}

extension AppBody {
    init(_ app: App) {
        self.init(
            id: app.id, unit: app.unit, name: app.name, accessKey: app.accessKey, role: app.role, status: app.status,
            receives: app.receives.items, accepts: app.accepts.map(\.rawValue),
            auth: AuthPolicyBody(
                schemes: app.auth.schemes.map(\.rawValue).sorted(), allowSha1: app.auth.allowSHA1,
                hasRsaPublicKey: app.auth.rsaPublicKeyPEM != nil, debugSignatures: app.auth.debugSignatures),
            offlineLimitSeconds: app.offlineLimit.map { Int($0) }, createdAt: app.createdAt)
    }
}

extension KeyBody {
    init(_ secret: AppSecret, now: Date) {
        self.init(
            id: secret.id, createdAt: secret.createdAt, expiresAt: secret.expiresAt, revokedAt: secret.revokedAt, lastUsedAt: secret.lastUsedAt,
            usable: secret.isUsable(at: now))
    }
}

extension GrantBody {
    init(_ grant: Grant, app accessKey: String) {
        switch grant.target {
        case .send(let pattern, let dataType):
            self.init(id: grant.id, app: accessKey, sendTo: pattern.rawValue, dataType: dataType?.rawValue, service: nil, createdAt: grant.createdAt)
        case .service(let ref):
            self.init(id: grant.id, app: accessKey, sendTo: nil, dataType: nil, service: ref.description, createdAt: grant.createdAt)
        }
    }
}

extension ServiceBody {
    init(_ service: Service) {
        self.init(
            id: service.ref.description, unit: service.ref.unit, name: service.ref.name, url: service.baseURL,
            protocol: service.serviceProtocol.rawValue, timeoutSeconds: service.timeout, providerAppId: service.providerAppID,
            requestMapping: service.requestMapping, responseMapping: service.responseMapping, createdAt: service.createdAt)
    }
}
