import Foundation

/// Expands the inputs a user names (files, globs, directories, `-`, self-hosted Mem0 stores such
/// as `chroma:./db` or `postgresql://…`) into a sorted list of sources.
///
/// ```swift
/// let sources = try InputResolver.resolve(["exports/*.json.gz", "-"])
/// ```
public enum InputResolver {
    /// Expands each argument in order; files inside a directory or matching a glob come sorted.
    ///
    /// A store is reached and its layout probed here (then closed), so a store that cannot be
    /// read fails before anything moves.
    ///
    /// - Throws: `PipelineError` `.inputNotFound` naming the first argument that matches nothing,
    ///   `.usage` for a malformed store spec, `.unreadable` for a store that cannot be read.
    public static func resolve(_ arguments: [String]) throws -> [InputSource] {
        var result: [InputSource] = []
        let fm = FileManager.default
        for argument in arguments {
            if let store = try StoreSources.spec(argument) {
                try StoreSources.open(store, batchSize: 1).close()
                result.append(InputSource(store: store))
                continue
            }
            if argument == "-" {
                result.append(InputSource("-"))
                continue
            }
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: argument, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    result += try listDirectory(argument).map(InputSource.init)
                } else {
                    result.append(InputSource(argument))
                }
                continue
            }
            if argument.contains(where: { "*?[".contains($0) }) {
                let matches = expandGlob(argument)
                if !matches.isEmpty {
                    for match in matches {
                        var dir: ObjCBool = false
                        if fm.fileExists(atPath: match, isDirectory: &dir), dir.boolValue {
                            result += try listDirectory(match).map(InputSource.init)
                        } else {
                            result.append(InputSource(match))
                        }
                    }
                    continue
                }
            }
            throw PipelineError(.inputNotFound, "no such file, directory or match: \(argument)")
        }
        return result
    }

    /// The regular, non-hidden files under a directory, recursively, sorted by path.
    static func listDirectory(_ path: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw PipelineError(.unreadable, "cannot list the directory \(path)")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            let full = (path as NSString).appendingPathComponent(relative)
            var dir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue {
                files.append(full)
            }
        }
        return files.sorted()
    }

    /// The paths matching a shell glob, sorted.
    static func expandGlob(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(matches.gl_pathc) {
            if let p = matches.gl_pathv[i] { paths.append(String(cString: p)) }
        }
        return paths.sorted()
    }
}
