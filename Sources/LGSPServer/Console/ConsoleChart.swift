import Foundation

/// Bar charts as inline SVG, drawn on the server from numbers (no script, no CDN). Labels are
/// escaped here because templates insert the SVG unescaped.
enum ConsoleChart {
    struct Series: Sendable {
        var name: String
        var color: String
    }

    struct Group: Sendable {
        var label: String
        var values: [Double]
    }

    /// Grouped vertical bars: one group per label, one bar per series, with a legend, a y-axis maximum
    /// and each bar's value in its `<title>` (shown on hover).
    static func bars(title: String, series: [Series], groups: [Group], format: (Double) -> String = { String(Int($0)) }) -> String {
        let height = 220.0
        let top = 28.0
        let bottom = 36.0
        let left = 48.0
        let plot = height - top - bottom
        let barWidth = 14.0
        let groupWidth = max(Double(series.count) * barWidth + 14, 36)
        let width = left + Double(max(groups.count, 1)) * groupWidth + 16
        let maximum = max(groups.flatMap(\.values).max() ?? 0, 1)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plot)\" stroke=\"#98a2ad\"/>"
        svg += "<line x1=\"\(left)\" y1=\"\(top + plot)\" x2=\"\(width - 8)\" y2=\"\(top + plot)\" stroke=\"#98a2ad\"/>"
        svg += "<text x=\"\(left - 4)\" y=\"\(top + 4)\" text-anchor=\"end\">\(escape(format(maximum)))</text>"
        svg += "<text x=\"\(left - 4)\" y=\"\(top + plot)\" text-anchor=\"end\">0</text>"
        for (index, item) in series.enumerated() {
            let x = left + Double(index) * 130
            svg += "<rect x=\"\(x)\" y=\"6\" width=\"10\" height=\"10\" fill=\"\(escape(item.color))\"/>"
            svg += "<text x=\"\(x + 14)\" y=\"15\">\(escape(item.name))</text>"
        }
        for (groupIndex, group) in groups.enumerated() {
            let x0 = left + Double(groupIndex) * groupWidth + 7
            for (seriesIndex, value) in group.values.enumerated() where seriesIndex < series.count {
                let barHeight = plot * max(value, 0) / maximum
                let x = x0 + Double(seriesIndex) * barWidth
                svg += "<rect class=\"bar\" x=\"\(x)\" y=\"\(top + plot - barHeight)\" width=\"\(barWidth - 2)\" height=\"\(barHeight)\" fill=\"\(escape(series[seriesIndex].color))\">"
                svg += "<title>\(escape(group.label)) · \(escape(series[seriesIndex].name)): \(escape(format(value)))</title></rect>"
            }
            svg += "<text x=\"\(x0 + Double(series.count) * barWidth / 2)\" y=\"\(top + plot + 14)\" text-anchor=\"middle\">\(escape(group.label))</text>"
        }
        return svg + "</svg>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
