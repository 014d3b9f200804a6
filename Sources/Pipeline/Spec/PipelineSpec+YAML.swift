import Foundation
import MemoryAPI
import MemoryClient
import Reading
import Yams

extension PipelineSpec {
    /// The top-level keys of a pipeline file.
    static let topKeys = ["source", "format", "preset", "mapping", "csv_columns", "operation", "target", "options"]
    /// The keys under `options`.
    static let optionKeys = [
        "user_id", "agent_id", "app_id", "run_id", "org_id", "project_id", "infer", "max_messages", "max_add_bytes",
        "max_record_mib", "all_branches", "attachments", "chunk_size", "concurrency", "rate", "api_version",
        "workers", "fail_on_rejects", "include_archived", "app_id_from_app",
    ]

    /// Reads a pipeline file. Relative sources and an embedded target's relative path are taken
    /// as the user typed them, relative to the directory memport runs in.
    ///
    /// - Throws: `PipelineError` `.pipelineFile` naming the file, the line and the problem.
    public static func load(path: String) throws -> PipelineSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(.inputNotFound, "cannot read the pipeline file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineError(.pipelineFile, "\(path): not UTF-8 text")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses pipeline YAML; `file` names it in errors.
    public static func parse(yaml: String, file: String) throws -> PipelineSpec {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw PipelineError(.pipelineFile, "\(file): \(Self.describe(error))")
        } catch {
            throw PipelineError(.pipelineFile, "\(file): \(error)")
        }
        guard let root, let top = root.mapping else {
            throw PipelineError(
                .pipelineFile, "\(file): a pipeline file is a mapping of \(topKeys.joined(separator: ", "))")
        }
        var reader = NodeReader(file: file)
        var spec = PipelineSpec(sources: [])
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "source": spec.sources = try reader.strings(value, key)
            case "format": spec.format = try reader.choice(value, key, InputFormat.self)
            case "preset": spec.preset = try reader.choice(value, key, ImportPreset.self)
            case "mapping": spec.mapping = try reader.stringMap(value, key)
            case "csv_columns": spec.csvColumns = try reader.strings(value, key)
            case "operation": spec.operation = try reader.choice(value, key, Operation.self)
            case "target":
                do {
                    spec.target = try TargetSpec(try reader.string(value, key))
                } catch let error as PipelineError where error.code == .usage {
                    throw reader.fail(value, error.message)
                }
            case "options":
                guard let options = value.mapping else { throw reader.fail(value, "options must be a mapping") }
                for (optionNode, v) in options {
                    try spec.apply(option: optionNode.string ?? "", v, &reader, keyNode: optionNode)
                }
            default:
                throw reader.fail(keyNode, "unknown key '\(key)'; known: \(topKeys.joined(separator: ", "))")
            }
        }
        if spec.sources.isEmpty { throw PipelineError(.pipelineFile, "\(file): 'source' is required") }
        do {
            try spec.validate()
        } catch let error as PipelineError {
            throw PipelineError(.pipelineFile, "\(file): \(error.message)")
        }
        return spec
    }

    mutating func apply(option key: String, _ v: Node, _ r: inout NodeReader, keyNode: Node) throws {
        switch key {
        case "user_id": scope.userID = try r.string(v, key)
        case "agent_id": scope.agentID = try r.string(v, key)
        case "app_id": scope.appID = try r.string(v, key)
        case "run_id": scope.runID = try r.string(v, key)
        case "org_id": orgID = try r.string(v, key)
        case "project_id": projectID = try r.string(v, key)
        case "infer": infer = try r.bool(v, key)
        case "max_messages": maxMessages = try r.int(v, key)
        case "max_add_bytes": maxAddBytes = try r.int(v, key)
        case "max_record_mib": maxRecordMiB = try r.int(v, key)
        case "all_branches": allBranches = try r.bool(v, key)
        case "attachments": attachments = try r.bool(v, key)
        case "chunk_size": chunkSize = try r.int(v, key)
        case "concurrency": concurrency = try r.int(v, key)
        case "rate":
            do {
                rate = try Rate(requestsPerMinute: try r.int(v, key))
            } catch let error as PipelineError where error.code == .usage {
                throw r.fail(v, error.message)
            }
        case "api_version": apiVersion = try r.choice(v, key, APIVersion.self)
        case "workers": workers = try r.int(v, key)
        case "fail_on_rejects": failOnRejects = try r.bool(v, key)
        case "include_archived": includeArchived = try r.bool(v, key) ? true : nil
        case "app_id_from_app": appIDFromApp = try r.bool(v, key) ? true : nil
        default:
            throw r.fail(keyNode, "unknown option '\(key)'; known: \(Self.optionKeys.joined(separator: ", "))")
        }
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys: \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }
}

/// Reads typed values out of YAML nodes, naming the line of a bad one.
struct NodeReader {
    let file: String

    func fail(_ node: Node, _ reason: String) -> PipelineError {
        let place = node.mark.map { "line \($0.line), column \($0.column): " } ?? ""
        return PipelineError(.pipelineFile, "\(file): \(place)\(reason)")
    }

    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let s) = node else { throw fail(node, "\(key) must be a string") }
        return s.string
    }

    func strings(_ node: Node, _ key: String) throws -> [String] {
        if case .scalar(let s) = node { return [s.string] }
        guard let seq = node.sequence else { throw fail(node, "\(key) must be a string or a list of strings") }
        return try seq.map { try string($0, key) }
    }

    func int(_ node: Node, _ key: String) throws -> Int {
        guard let i = node.int else { throw fail(node, "\(key) must be a whole number, got '\(node.string ?? "?")'") }
        return i
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard let b = node.bool else { throw fail(node, "\(key) must be true or false, got '\(node.string ?? "?")'") }
        return b
    }

    func choice<T: RawRepresentable & CaseIterable>(_ node: Node, _ key: String, _ type: T.Type) throws -> T
    where T.RawValue == String {
        let s = try string(node, key)
        guard let v = T(rawValue: s) else {
            throw fail(node, "\(key) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), got '\(s)'")
        }
        return v
    }

    func stringMap(_ node: Node, _ key: String) throws -> [String: String] {
        guard let m = node.mapping else { throw fail(node, "\(key) must be a mapping of key: field") }
        var out: [String: String] = [:]
        for (k, v) in m {
            let name = try string(k, key)
            if let seq = v.sequence {
                out[name] = try seq.map { try string($0, "\(key).\(name)") }.joined(separator: "|")
            } else {
                out[name] = try string(v, "\(key).\(name)")
            }
        }
        return out
    }
}
