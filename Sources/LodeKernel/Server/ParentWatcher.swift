import Foundation

/// Ends the kernel when the process that started it (the Jupyter server) is gone, as ipykernel
/// does: the parent named by `JPY_PARENT_PID` when the front end sets it, otherwise the
/// parent at start-up, seen through `getppid()` changing (an orphan is adopted by init).
/// Checked twice a second from a detached thread, so a dead server never leaves a kernel
/// running forever.
enum ParentWatcher {
    static func start(onParentGone: @escaping () -> Void) {
        let named = ProcessInfo.processInfo.environment["JPY_PARENT_PID"].flatMap { Int32($0) }
        let original = getppid()
        let thread = Thread {
            while true {
                usleep(500_000)
                if let named, named > 1 {
                    if kill(named, 0) != 0 && errno == ESRCH { break }
                } else if getppid() != original {
                    break
                }
            }
            KernelLog.write("the parent process is gone: shutting down")
            onParentGone()
        }
        thread.name = "lode-kernel-parent"
        thread.start()
    }
}
