import HTTPTypes
import Hummingbird
import LGSPAuth

extension Request {
    /// The request in the form signatures are computed over: raw target, `host` from the authority.
    var signable: SignableRequest {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(self.headers.count + 1)
        if let authority = head.authority { headers.append(("host", authority)) }
        for field in self.headers { headers.append((field.name.canonicalName, field.value)) }
        return SignableRequest(method: method.rawValue, target: head.path ?? "/", headers: headers)
    }
}
