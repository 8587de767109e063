import Foundation
import Yams

/// The config file's YAML as a tree, read within bounds: a hostile file (a "billion laughs" of nested
/// aliases, deep nesting, a huge file) fails in a moment with a clear error instead of taking minutes
/// and gigabytes.
enum ConfigTree {
    /// A config file is a few KB; this is far beyond any real one.
    static let maxBytes = 256 << 10
    /// Values in the tree with every alias expanded; a real config has a few hundred.
    static let maxNodes = 10_000
    /// The deepest a real config goes is alert.channels.NAME.KEY.
    static let maxDepth = 16

    /// The file's tree, nil when it is empty; aliases are resolved, and counted as often as they are used.
    static func compose(_ text: String, origin: String) throws -> Node? {
        guard text.utf8.count <= maxBytes else {
            throw ConfigError.invalidYAML(origin, reason: "it is larger than \(maxBytes >> 10) KiB, far beyond any config; check that --config names the right file")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError.invalidYAML(origin, reason: reason(error))
        }
        if let node {
            var budget = maxNodes
            try check(node, depth: 1, budget: &budget, origin: origin)
        }
        return node
    }

    /// Counts values as they would be expanded, stopping at the first bound passed, so the count
    /// itself stays within the bounds.
    private static func check(_ node: Node, depth: Int, budget: inout Int, origin: String) throws {
        budget -= 1
        guard budget >= 0 else {
            throw ConfigError.invalidYAML(
                origin, reason: "it expands to more than \(maxNodes) values (aliases repeat what they name); write the values out")
        }
        guard depth <= maxDepth else {
            throw ConfigError.invalidYAML(origin, reason: "it nests deeper than \(maxDepth) levels, which no setting needs")
        }
        switch node {
        case .scalar, .alias:
            return
        case .mapping(let mapping):
            for (key, value) in mapping {
                try check(key, depth: depth + 1, budget: &budget, origin: origin)
                try check(value, depth: depth + 1, budget: &budget, origin: origin)
            }
        case .sequence(let sequence):
            for element in sequence { try check(element, depth: depth + 1, budget: &budget, origin: origin) }
        }
    }

    /// The tree as dictionaries, arrays and strings, for checking its keys.
    static func plain(_ node: Node) -> Any {
        switch node {
        case .scalar(let scalar): return scalar.string
        case .alias: return ""
        case .mapping(let mapping):
            var result: [String: Any] = [:]
            for (key, value) in mapping { result[key.string ?? "\(key)"] = plain(value) }
            return result
        case .sequence(let sequence): return sequence.map(plain)
        }
    }

    /// The first line of a YAML error, which says where the problem is.
    static func reason(_ error: any Error) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "unknown"
    }
}
