import Foundation
import Hummingbird
import LGSPAPI
import NIOCore

/// Unsigned endpoints: health, the hub's clock, the OpenAPI description.
struct SystemRoutes {
    let hub: Hub

    func register(on router: HubRouter) {
        router.get("/healthz") { _, _ in
            try JSONBody.response(["status": "ok"])
        }
        router.get("/v1/time") { _, _ in
            let now = hub.clock.now()
            return try JSONBody.response(TimeResponse(now: now, epochMillis: Int64((now.timeIntervalSince1970 * 1000).rounded())))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
    }
}

/// The committed OpenAPI description (`Sources/LGSPServer/Resources/openapi.json`), loaded once.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            return Array(#"{"error": "openapi.json resource missing from this build"}"#.utf8)
        }
        return Array(data)
    }()
}
