/// YishiQRCode: QR codes for printed notices and the residents' board, encoded by Debian's
/// libqrencode and drawn as SVG, so a resident scans the sheet on the board and reads the
/// same notice, kept current, on a phone.
import CQRencode

public struct QRCode: Sendable, Equatable {
    /// The modules row by row, true for dark, without the quiet zone.
    public let modules: [[Bool]]

    /// `text` (a URL) in byte mode at error correction level M, which survives a crease or
    /// a smudge on a board; nil if libqrencode cannot encode it (too long for any version).
    public init?(_ text: String) {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        // Each module is a byte whose lowest bit says dark (qrencode.h).
        modules = (0..<width).map { row in (0..<width).map { column in code.pointee.data[row * width + column] & 1 == 1 } }
    }

    public var width: Int { modules.count }

    /// An SVG of the code with the four-module quiet zone the standard asks for: one path of
    /// dark squares, sized by whoever places it (a page, an A4 notice), crisp at any size.
    public func svg(title: String) -> String {
        let size = width + 8
        var path = ""
        for (row, line) in modules.enumerated() {
            var column = 0
            while column < width {
                guard line[column] else { column += 1; continue }
                let start = column
                while column < width, line[column] { column += 1 }
                path += "M\(start + 4) \(row + 4)h\(column - start)v1h-\(column - start)z"
            }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="qr" viewBox="0 0 \(size) \(size)" role="img" aria-label="\(Self.escape(title))" \
            shape-rendering="crispEdges"><rect width="\(size)" height="\(size)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }

    static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }
}
