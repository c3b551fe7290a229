import Foundation

/// A notice for the bulletin board, built once and rendered two ways: a printable A4 HTML
/// page and Markdown text (for the WeChat group or the online platform).
public struct NoticeDocument: Sendable {
    enum Block: Sendable {
        case heading(String)
        case fields([(String, String)])
        case paragraph(String)
        case list([String])
        case table(header: [String], rows: [[String]])
    }

    public var title: String
    public var subtitle: String
    var blocks: [Block] = []
    public var footer: String
    /// The notice's page on the residents' board and its QR code (SVG), printed beside the
    /// notice so a resident scans the sheet and reads it, kept current, on a phone.
    public var onlineCopy: (url: String, qrSVG: String)?

    init(title: String, subtitle: String, footer: String) {
        self.title = title
        self.subtitle = subtitle
        self.footer = footer
    }

    mutating func heading(_ text: String) { blocks.append(.heading(text)) }
    mutating func fields(_ rows: [(String, String?)]) { blocks.append(.fields(rows.compactMap { label, value in value.map { (label, $0) } })) }
    mutating func paragraph(_ text: String) { if !text.isEmpty { blocks.append(.paragraph(text)) } }
    mutating func list(_ items: [String]) { if !items.isEmpty { blocks.append(.list(items)) } }
    mutating func table(_ header: [String], _ rows: [[String]]) { if !rows.isEmpty { blocks.append(.table(header: header, rows: rows)) } }

    /// The notice as Markdown. What people typed (a resident's words on the board, a title)
    /// is escaped (`markdownText`), so that it reads as text wherever the copy is pasted and
    /// rendered, never as a link, an image, a heading or markup.
    public var markdown: String {
        var out = "# \(Self.markdownText(title))\n\n\(Self.markdownText(subtitle))\n"
        for block in blocks {
            switch block {
            case .heading(let text): out += "\n## \(Self.markdownText(text))\n\n"
            case .fields(let rows): out += rows.map { "- **\(Self.markdownText($0.0))**：\(Self.markdownText($0.1))" }.joined(separator: "\n") + "\n"
            case .paragraph(let text):
                out += "\n" + text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { Self.markdownText(String($0)) }.joined(separator: "\n") + "\n"
            case .list(let items): out += items.map { "- \(Self.markdownText($0))" }.joined(separator: "\n") + "\n"
            case .table(let header, let rows):
                out += "| " + header.map(Self.markdownText).joined(separator: " | ") + " |\n|" + header.map { _ in " --- |" }.joined() + "\n"
                out += rows.map { "| " + $0.map(Self.markdownText).joined(separator: " | ") + " |" }.joined(separator: "\n") + "\n"
            }
        }
        if let online = onlineCopy { out += "\n网上公示（随办理进展更新）：\(online.url)\n" }
        return out + "\n---\n\(Self.markdownText(footer))\n"
    }

    /// One line of text as Markdown shows it: the characters that would make markup
    /// (emphasis, links and images, HTML, code, table cells) escaped, and those that would
    /// begin a heading, a quote or a list at the start of a line; line breaks within a
    /// value become spaces. Dates and ordinary punctuation are left as people read them,
    /// since the copy is also pasted as plain text.
    static func markdownText(_ text: String) -> String {
        var out = ""
        for character in text.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ") {
            if "\\`*_[]<>|!~".contains(character) { out.append("\\") }
            out.append(character)
        }
        if let first = out.first, "#>-+=".contains(first) { out = "\\" + out }
        if let dot = out.firstIndex(of: "."), out[..<dot].allSatisfy(\.isASCII), !out[..<dot].isEmpty, out[..<dot].allSatisfy(\.isNumber) {
            out.insert("\\", at: dot)
        }
        return out
    }

    public var html: String {
        var body = ""
        if let online = onlineCopy {
            // The SVG is built by YishiQRCode from escaped parts; the URL is printed beside it.
            body += "<figure class=\"qr\">\(online.qrSVG)<figcaption>扫码看网上公示<br>（随办理进展更新）</figcaption></figure>\n"
        }
        body += "<h1>\(escape(title))</h1>\n<p class=\"subtitle\">\(escape(subtitle))</p>\n"
        for block in blocks {
            switch block {
            case .heading(let text): body += "<h2>\(escape(text))</h2>\n"
            case .fields(let rows):
                body += "<table class=\"fields\">\n" + rows.map { "<tr><th>\(escape($0.0))</th><td>\(escape($0.1))</td></tr>" }
                    .joined(separator: "\n") + "\n</table>\n"
            case .paragraph(let text):
                body += text.split(separator: "\n").map { "<p>\(escape(String($0)))</p>" }.joined(separator: "\n") + "\n"
            case .list(let items): body += "<ul>\n" + items.map { "<li>\(escape($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
            case .table(let header, let rows):
                body += "<table class=\"grid\">\n<tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
                // Short cells (第 1 轮, 已完成) stay on one line; long ones wrap as Chinese does.
                body += rows.map { "<tr>" + $0.map { "<td\($0.count <= 8 ? " class=\"short\"" : "")>\(escape($0))</td>" }.joined() + "</tr>" }
                    .joined(separator: "\n") + "\n</table>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>
            @page { size: A4; margin: 20mm 18mm; }
            body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 14pt;
                   line-height: 1.7; color: #000; max-width: 174mm; margin: 0 auto; }
            h1 { font-size: 22pt; text-align: center; letter-spacing: 0.3em; margin: 0 0 4mm; }
            .subtitle { text-align: center; font-size: 11pt; margin: 0 0 8mm; }
            h2 { font-size: 15pt; border-left: 4pt solid #b00000; padding-left: 3mm; margin: 7mm 0 3mm; }
            table { border-collapse: collapse; width: 100%; }
            table.fields th { width: 30mm; text-align: justify; text-align-last: justify; vertical-align: top;
                              padding: 1mm 4mm 1mm 0; font-weight: bold; }
            table.fields td { padding: 1mm 0; }
            table.grid th, table.grid td { border: 0.5pt solid #000; padding: 1.5mm 2mm; font-size: 12pt; }
            table.grid { margin-bottom: 4mm; }
            table.grid th { background: #f0f0f0; white-space: nowrap; }
            table.grid td.short { white-space: nowrap; }
            p { text-indent: 2em; margin: 0 0 2mm; }
            footer { margin-top: 10mm; text-align: right; font-size: 12pt; }
            figure.qr { float: right; width: 28mm; margin: 0 0 2mm 4mm; text-align: center; }
            figure.qr svg { width: 28mm; height: 28mm; display: block; }
            figure.qr figcaption { font-size: 8pt; line-height: 1.3; }
            tr, li, p { page-break-inside: avoid; }
            </style>
            </head>
            <body>
            \(body)<footer>\(footer.split(separator: "\n").map { escape(String($0)) }.joined(separator: "<br>"))</footer>
            </body>
            </html>

            """
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
