import Foundation
import Testing
import YishiMerge

/// Hand-written scenarios from the field, stored as resource files so that a new case is
/// a new file. Each is replayed on fresh in-memory replicas; every replica must agree.
@Suite struct GoldenCaseTests {
    static var caseFiles: [URL] {
        let folder = Bundle.module.url(forResource: "Golden", withExtension: nil)!
        return (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil))?
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent } ?? []
    }

    @Test func thereAreGoldenCases() {
        #expect(Self.caseFiles.count >= 5)
    }

    @Test(arguments: caseFiles)
    func goldenCase(_ file: URL) throws {
        let scenario = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var replicas: [String: ReplicaState] = [:]
        var wall: Int64 = 1_763_800_000_000
        for step in try #require(scenario["steps"] as? [[String: Any]]) {
            if let pair = step["sync"] as? [String] {
                let all = pair.flatMap { replicas[$0]?.log.values.map { $0 } ?? [] }
                for name in pair {
                    var state = replicas[name] ?? ReplicaState(replica: ReplicaID(rawValue: name)!)
                    for op in all { try state.receive(op) }
                    replicas[name] = state
                }
            } else if let check = step["check"] as? [String: Any] {
                try verify(check, on: replicas, file: file)
            } else {
                let name = try #require(step["at"] as? String)
                var state = replicas[name] ?? ReplicaState(replica: ReplicaID(rawValue: name)!)
                wall += 60_000
                try state.edit(
                    record: try #require(step["record"] as? String), field: try #require(step["field"] as? String),
                    scope: "HL3", change: try change(step), author: "录入员\(name)", wallTime: WallTime(milliseconds: wall))
                replicas[name] = state
            }
        }
        for expectation in try #require(scenario["expect"] as? [[String: Any]]) {
            try verify(expectation, on: replicas, file: file)
        }
    }

    private func change(_ step: [String: Any]) throws -> LocalChange {
        if let text = step["text"] as? String { return .text(text) }
        if let value = step["write"] as? String { return .write(value) }
        if let element = step["add"] as? String { return .add(element) }
        if let element = step["remove"] as? String { return .remove(element) }
        if let status = step["status"] as? [Any], status.count == 3 {
            return .status(StatusValue(name: status[0] as! String, rank: status[1] as! Int, branch: status[2] as! String))
        }
        throw GoldenError(message: "step without an edit: \(step)")
    }

    private func verify(_ expected: [String: Any], on replicas: [String: ReplicaState], file: URL) throws {
        let record = try #require(expected["record"] as? String)
        let fieldName = try #require(expected["field"] as? String)
        let states = replicas.values.map { $0.canonicalLines }
        #expect(Set(states).count == 1, "replicas diverged in \(file.lastPathComponent)")
        for replica in replicas.values {
            let field = try #require(replica.field(record, fieldName))
            let conflicts = field.conflicts(record: record, field: fieldName)
            if let count = expected["conflicts"] as? Int { #expect(conflicts.count == count, "\(file.lastPathComponent)") }
            if let sides = expected["sides"] as? [String] {
                #expect(conflicts.first?.sides.map { $0.content ?? "" } == sides, "\(file.lastPathComponent)")
            }
            if let names = expected["sideReplicas"] as? [String] {
                #expect(conflicts.first?.sides.map(\.replica.rawValue) == names)
                #expect(conflicts.first?.sides.allSatisfy { $0.author.hasPrefix("录入员") } == true)
            }
            if let text = expected["text"] as? String { #expect(field.document.text == text, "\(file.lastPathComponent)") }
            for fragment in expected["contains"] as? [String] ?? [] { #expect(field.document.text.contains(fragment)) }
            if let value = expected["value"] as? String { #expect(field.resolution(at: "").shown?.content == value) }
            if let elements = expected["elements"] as? [String] { #expect(field.elements == elements) }
        }
    }
}

struct GoldenError: Error { var message: String }
