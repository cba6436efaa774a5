import Foundation

/// The SSO's HTML pages, in Vietnamese: the login form, the error page (a bad client or redirect URI is
/// never redirected to), and the signed-out page. Every value is HTML-escaped.
enum SSOPages {
    /// The login form: posts `username`, `password` (and `totp` when asked), the CSRF token and the
    /// authorization request's parameters back to `/sso/authorize`.
    static func login(request: AuthorizationRequest, clientName: String, csrf: String, login: String = "", message: String? = nil, askTOTP: Bool = false) -> String {
        let hidden = (request.parameters + [("csrf", csrf)])
            .map { "<input type=\"hidden\" name=\"\(escape($0.0))\" value=\"\(escape($0.1))\">" }.joined(separator: "\n      ")
        let error = message.map { "<p class=\"loi\" role=\"alert\">\(escape($0))</p>" } ?? ""
        let totpField =
            askTOTP
            ? """
              <label for="totp">Mã xác thực (6 chữ số)</label>
                    <input id="totp" name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" autofocus>
              """ : ""
        return page(
            title: "Đăng nhập",
            body: """
                <h1>Đăng nhập</h1>
                    <p>Đăng nhập một lần để tiếp tục tới <strong>\(escape(clientName))</strong>.</p>
                    \(error)
                    <form method="post" action="/sso/authorize" autocomplete="on">
                      \(hidden)
                      <label for="username">Tên đăng nhập</label>
                      <input id="username" name="username" value="\(escape(login))" autocomplete="username" required\(askTOTP || !login.isEmpty ? "" : " autofocus")>
                      <label for="password">Mật khẩu</label>
                      <input id="password" name="password" type="password" autocomplete="current-password" required\(login.isEmpty || askTOTP ? "" : " autofocus")>
                      \(totpField)
                      <button type="submit">Đăng nhập</button>
                    </form>
                """)
    }

    /// An error page: the request cannot be answered to the client (RFC 6749 §4.1.2.1).
    static func error(_ title: String, _ detail: String) -> String {
        page(title: title, body: "<h1>\(escape(title))</h1>\n    <p class=\"loi\">\(escape(detail))</p>")
    }

    /// The page shown after logging out without a (registered) address to return to.
    static func signedOut() -> String {
        page(title: "Đã đăng xuất", body: "<h1>Đã đăng xuất</h1>\n    <p>Bạn đã đăng xuất khỏi hệ thống đăng nhập một lần (SSO) của tỉnh.</p>")
    }

    private static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="vi">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>\(escape(title)) — LGSP</title>
          <style>
            body { font-family: system-ui, sans-serif; background: #f3f5f8; margin: 0; }
            main { max-width: 24rem; margin: 4rem auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px #0002; }
            h1 { font-size: 1.4rem; margin-top: 0; color: #a50e0e; }
            label { display: block; margin-top: 1rem; font-weight: 600; }
            input { width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
            button { margin-top: 1.5rem; width: 100%; padding: .6rem; font-size: 1rem; background: #a50e0e; color: #fff; border: 0; border-radius: 4px; }
            .loi { color: #a50e0e; background: #fdecea; padding: .5rem; border-radius: 4px; }
          </style>
        </head>
        <body>
          <main>
            \(body)
          </main>
        </body>
        </html>

        """
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
