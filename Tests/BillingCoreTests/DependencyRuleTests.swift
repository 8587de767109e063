import Foundation
import Testing

/// The domain and the wire format stand on the standard library and Foundation alone, so they can be
/// read, tested and reused without a server, a store or a network library: checked on their sources.
@Suite struct DependencyRuleTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every module each Swift file under `Sources/target` imports, by file.
    static func imports(of target: String) throws -> [String: Set<String>] {
        let folder = sources.appendingPathComponent(target)
        var found: [String: Set<String>] = [:]
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let modules = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count else { return nil }
                // `import X`, `@testable import X`, `@_exported import X`, `import struct X.Y`.
                guard words[..<index].allSatisfy({ $0.hasPrefix("@") }) else { return nil }
                let name = words.count > index + 2 ? words[index + 2] : words[index + 1]
                return String(name.split(separator: ".")[0])
            }
            found[file.lastPathComponent] = Set(modules)
        }
        return found
    }

    /// `Synchronization` (atomics, `Mutex`) ships with the standard library.
    @Test(arguments: [("BillingCore", Set(["Foundation", "Synchronization"])), ("BillingWire", Set(["Foundation", "Synchronization", "BillingCore"]))])
    func importsOnlyTheStandardLibraryAndFoundation(target: String, allowed: Set<String>) throws {
        let imports = try Self.imports(of: target)
        #expect(imports.count > 5, "the sources of \(target) were found")
        for (file, modules) in imports {
            #expect(modules.isSubset(of: allowed), "\(target)/\(file) imports \(modules.subtracting(allowed).sorted())")
        }
    }
}
