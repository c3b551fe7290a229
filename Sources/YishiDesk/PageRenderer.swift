import Mustache

/// The desk's templates, compiled once at start. They are Swift string constants rather
/// than files beside the binary: the station box runs one installed executable, offline,
/// and a page must never fail because a resource folder was not copied with it.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// `templates` maps a name to Mustache text; the shared layout and form partials are
    /// added here, so every page extends the same `layout`.
    public init(templates: [String: String]) throws {
        var library = MustacheLibrary()
        for (name, text) in DeskLayout.templates.merging(templates, uniquingKeysWith: { $1 }) {
            try library.register(text, named: name)
        }
        self.library = library
    }

    /// Renders a page: `chrome` is what the layout shows (title, menu, who is logged in),
    /// `page` the page's own values, reachable in the template inside `{{#page}}`.
    public func render(_ name: String, chrome: DeskChrome, page: Any) -> String {
        library.render(Self.tree(["desk": chrome, "page": page]), withTemplate: name) ?? "模板“\(name)”不存在"
    }

    /// The page's values as nested dictionaries and arrays, reflected once. Mustache would
    /// otherwise reflect a struct anew for every name it looks up, which on a list of fifty
    /// rows cost more than reading the rows from SQLite. A nil leaves its name out, so the
    /// lookup goes on up the context exactly as it did for the struct.
    static func tree(_ value: Any) -> Any {
        switch value {
        case let text as String: return text
        case let number as Int: return number
        case let flag as Bool: return flag
        case let values as [String: String]: return values
        case let values as [String: Any]: return values.mapValues(tree)
        case let items as [Any]: return items.map(tree)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { tree($0.value) } as Any
        case .struct, .class:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label else { continue }
                let inner = Mirror(reflecting: child.value)
                if inner.displayStyle == .optional {
                    if let wrapped = inner.children.first { fields[label] = tree(wrapped.value) }
                } else {
                    fields[label] = tree(child.value)
                }
            }
            return fields
        default:
            return value
        }
    }
}

/// What the layout around every page shows.
public struct DeskChrome: Sendable {
    public struct NavItem: Sendable {
        public var href: String
        public var label: String
        public var current: Bool
    }

    /// `站点工作台 · 哈量三社区 HL3-01`
    public var name: String
    public var title: String
    public var user: String?
    public var role: String?
    public var csrf: String?
    public var nav: [NavItem]
    /// A one-line notice after a successful action (`已登记议题 …`), announced to screen readers.
    public var flash: String?
    /// Rendered HTML the desk puts above every page (the station's sync banner).
    public var banner: String?

    public init(name: String, title: String, session: DeskSession?, nav: [(href: String, label: String)], current: String,
                flash: String? = nil, banner: String? = nil) {
        self.name = name
        self.title = title
        user = session?.name
        role = session?.role
        csrf = session?.csrf
        self.nav = session == nil ? [] : nav.map { NavItem(href: $0.href, label: $0.label, current: $0.href == current) }
        self.flash = flash
        self.banner = banner
    }
}
