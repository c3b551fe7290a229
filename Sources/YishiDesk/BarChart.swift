/// A horizontal bar chart as inline SVG, drawn on the server: no script, nothing fetched,
/// and it prints. Each bar carries its number in text, so the figure reads without colour
/// and a screen reader gets the same through the title and the table beside it.
public struct BarChart: Sendable {
    public struct Bar: Sendable {
        public var label: String
        public var value: Int
        public var valueText: String?

        public init(label: String, value: Int, valueText: String? = nil) {
            self.label = label
            self.value = value
            self.valueText = valueText
        }
    }

    public var title: String
    public var bars: [Bar]
    /// The scale's top; the largest bar when not given (a rate chart uses 100).
    public var maximum: Int?

    public init(title: String, bars: [Bar], maximum: Int? = nil) {
        self.title = title
        self.bars = bars
        self.maximum = maximum
    }

    public var svg: String {
        let rowHeight = 34, labelWidth = 300, barWidth = 420, width = labelWidth + barWidth + 90
        let height = max(1, bars.count) * rowHeight + 10
        let top = max(1, maximum ?? bars.map(\.value).max() ?? 1)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 \(width) \(height)" width="100%" \
            preserveAspectRatio="xMinYMin meet" aria-labelledby="chart-\(abs(title.hashValue))">\
            <title id="chart-\(abs(title.hashValue))">\(HTML.escape(title))</title>
            """
        if bars.isEmpty {
            out += "<text x=\"0\" y=\"24\" font-size=\"18\">（暂无数据）</text>"
        }
        for (index, bar) in bars.enumerated() {
            let y = index * rowHeight + 5
            let length = max(bar.value > 0 ? 2 : 0, bar.value * barWidth / top)
            out += """
                <text x="\(labelWidth - 10)" y="\(y + 22)" text-anchor="end" font-size="17">\(HTML.escape(bar.label))</text>\
                <rect x="\(labelWidth)" y="\(y + 4)" width="\(length)" height="\(rowHeight - 10)" fill="#2b6cb0"/>\
                <text x="\(labelWidth + length + 8)" y="\(y + 22)" font-size="17">\(HTML.escape(bar.valueText ?? String(bar.value)))</text>
                """
        }
        return out + "</svg>"
    }
}

/// HTML escaping for the few pieces built outside templates (charts); templates escape by themselves.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
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
