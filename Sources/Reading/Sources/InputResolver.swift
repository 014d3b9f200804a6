import Foundation

/// Expands the inputs a user names (files, globs, directories, `-`) into a sorted list of files.
///
/// ```swift
/// let sources = try InputResolver.resolve(["exports/*.json.gz", "-"]) { print($0) }
/// ```
///
/// Inside a directory it takes regular files (and symbolic links to them), recursively, and
/// leaves out hidden names silently. It names, through `skipped`, what else it leaves out: a
/// symbolic link to a directory (name it directly to read it), a folder it cannot list, and
/// anything that is not a regular file (a FIFO or socket would block or fail). An input named
/// directly is read whatever it is: a FIFO or `<(cmd)` is read once, like `-`.
public enum InputResolver {
    /// Expands each argument in order; files inside a directory or matching a glob come sorted.
    ///
    /// - Parameter skipped: called with each input left out inside a directory, and why.
    /// - Throws: `ReadingError` `.inputNotFound` naming the first argument that matches nothing.
    public static func resolve(
        _ arguments: [String], skipped: (SkippedInput) -> Void = { _ in }
    ) throws -> [InputSource] {
        var result: [InputSource] = []
        let fm = FileManager.default
        for argument in arguments {
            if argument == "-" {
                result.append(InputSource("-"))
                continue
            }
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: argument, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    result += try listDirectory(argument, skipped: skipped).map(InputSource.init)
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
                            result += try listDirectory(match, skipped: skipped).map(InputSource.init)
                        } else {
                            result.append(InputSource(match))
                        }
                    }
                    continue
                }
            }
            throw ReadingError(.inputNotFound, "no such file, directory or match: \(argument)")
        }
        return result
    }

    /// The regular, non-hidden files under a directory, recursively, sorted by path.
    ///
    /// - Throws: `ReadingError` `.unreadable` when the directory itself cannot be listed.
    static func listDirectory(_ path: String, skipped: (SkippedInput) -> Void = { _ in }) throws -> [String] {
        var files: [String] = []
        try walk(path, top: true, into: &files, skipped: skipped)
        return files.sorted()
    }

    private static func walk(
        _ directory: String, top: Bool, into files: inout [String], skipped: (SkippedInput) -> Void
    ) throws {
        guard let handle = opendir(directory) else {
            let reason = String(cString: strerror(errno))
            if top { throw ReadingError(.unreadable, "cannot list the directory \(directory): \(reason)") }
            skipped(SkippedInput(path: directory, reason: "cannot list the directory: \(reason)"))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names.sorted() where !name.hasPrefix(".") {
            let full = (directory as NSString).appendingPathComponent(name)
            var link = stat()
            guard lstat(full, &link) == 0 else {
                skipped(SkippedInput(path: full, reason: String(cString: strerror(errno))))
                continue
            }
            let isLink = (link.st_mode & S_IFMT) == S_IFLNK
            var info = link
            if isLink {
                guard stat(full, &info) == 0 else {
                    skipped(SkippedInput(path: full, reason: "a broken symbolic link"))
                    continue
                }
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                files.append(full)
            case S_IFDIR:
                if isLink {
                    skipped(
                        SkippedInput(
                            path: full, reason: "a symbolic link to a directory (not followed; name it to read it)"))
                } else {
                    try walk(full, top: false, into: &files, skipped: skipped)
                }
            default:
                skipped(SkippedInput(path: full, reason: "not a regular file (a FIFO, socket or device)"))
            }
        }
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
