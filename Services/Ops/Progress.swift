import Foundation

/// Progress lines for long steps: rewritten in place on a terminal, one line per step otherwise.
struct Progress {
    let interactive = isatty(STDOUT_FILENO) == 1

    func step(_ text: String) { say("==> \(text)") }

    func update(_ label: String, done: Int, of total: Int) {
        guard interactive else { return }
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        print("\r    \(label) [\(bar)] \(done)/\(total)", terminator: "")
        FileHandle.standardOutput.synchronizeFile()
    }

    func finish(_ label: String, total: Int, seconds: Double) {
        if interactive { print("\r", terminator: "") }
        say(String(format: "    %@: %d in %.1f s", label, total, seconds))
    }
}

/// Prints a line and flushes it, so progress reaches a log file or a pipe as it happens (stdout
/// is block-buffered when it is not a terminal).
func say(_ text: String) {
    print(text)
    fflush(nil)
}
