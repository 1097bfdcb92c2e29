import CZeroMQ
import Foundation

/// Serves one interpreter over the Jupyter messaging protocol: binds the five sockets at
/// exactly the connection file's addresses and runs heartbeat, control, shell, the stream
/// flusher and the SIGINT watcher each on its own thread.
public final class KernelServer {
    public struct Options {
        /// Characters of stdout/stderr one cell may print before its output is cut.
        public var streamLimit: Int = 1_000_000
        /// How often buffered stream output is sent (the issue asks for at most 100 ms).
        public var flushInterval: TimeInterval = 0.05
        /// Whether SIGINT interrupts the running cell (off in unit tests sharing a process).
        public var handlesSIGINT: Bool = true
        /// Whether the kernel exits when its parent process dies (off in unit tests).
        public var watchesParent: Bool = true
        /// How progress is shown: one display updated in place, or plain lines.
        public var progressStyle: ProgressStyle = .automatic
        public init() {}
    }

    public enum ProgressStyle: String {
        /// In place for front ends that run cells (they send a cell id), lines for consoles.
        case automatic
        case display
        case lines
    }

    public let connection: ConnectionInfo
    let interpreter: KernelInterpreter
    let options: Options
    let codec: WireCodec
    let session = UUID().uuidString.lowercased()
    let history = HistoryStore()

    private let context: ZeroMQContext
    let shell: ZeroMQSocket
    let control: ZeroMQSocket
    let stdin: ZeroMQSocket
    let heartbeat: ZeroMQSocket
    let iopub: IOPubChannel
    /// The addresses actually bound, by channel name.
    public private(set) var endpoints: [String: String] = [:]

    private let state = NSLock()
    private var stopping = false
    private var running = false
    private var activePublisher: OutputPublisher?
    private var interruptRequested = false
    private var exitRestart = false
    private let stopped = DispatchSemaphore(value: 0)
    private let threadsDone = DispatchGroup()
    var executionCount = 0
    lazy var shellHandlers: [String: (Message) -> Void] = makeShellHandlers()
    lazy var controlHandlers: [String: (Message) -> Void] = makeControlHandlers()

    public init(connection: ConnectionInfo, interpreter: KernelInterpreter, options: Options = Options()) throws {
        self.connection = connection
        self.interpreter = interpreter
        self.options = options
        codec = WireCodec(signer: MessageSigner(key: connection.key))
        context = try ZeroMQContext()
        shell = try ZeroMQSocket(context: context, kind: .router)
        control = try ZeroMQSocket(context: context, kind: .router)
        stdin = try ZeroMQSocket(context: context, kind: .router)
        heartbeat = try ZeroMQSocket(context: context, kind: .reply)
        let publisher = try ZeroMQSocket(context: context, kind: .publisher)
        iopub = IOPubChannel(socket: publisher, codec: codec, session: session)
        let plan: [(String, ZeroMQSocket, Int)] = [
            ("shell", shell, connection.shellPort), ("control", control, connection.controlPort),
            ("stdin", stdin, connection.stdinPort), ("hb", heartbeat, connection.heartbeatPort),
            ("iopub", publisher, connection.iopubPort),
        ]
        for (name, socket, port) in plan {
            if connection.ip.contains(":") { try socket.setOption(ZMQ_IPV6, 1) }
            let endpoint = connection.endpoint(port: port)
            do { try socket.bind(endpoint) } catch {
                throw KernelSetupError("cannot bind the \(name) socket to \(endpoint): \(error)")
            }
            endpoints[name] = socket.lastEndpoint
        }
        for socket in [shell, control, stdin, heartbeat] { try socket.setReceiveTimeout(milliseconds: 100) }
    }

    /// Starts every thread and blocks until a shutdown request has been answered. Returns
    /// whether the front end asked for a restart.
    @discardableResult
    public func run() -> Bool {
        if options.handlesSIGINT { installInterruptSignalHandler() }
        spawn("heartbeat") { [unowned self] in heartbeatLoop() }
        spawn("control") { [unowned self] in serve(control, handlers: controlHandlers) }
        spawn("shell") { [unowned self] in serve(shell, handlers: shellHandlers) }
        spawn("flush") { [unowned self] in flushLoop() }
        if options.handlesSIGINT { startSignalWatcher() }
        if options.watchesParent {
            ParentWatcher.start { [weak self] in
                guard let self else { exit(0) }
                self.interruptRunningCell()
                self.stop()
                // A cell that ignores the interrupt must not keep an orphan alive.
                DispatchQueue.global().asyncAfter(deadline: .now() + 3) { exit(0) }
            }
        }
        stopped.wait()
        // Each loop notices `stopping` within its 100 ms receive timeout; a cell that ignores
        // the interrupt must not keep the process alive, hence the bounded wait.
        let finished = threadsDone.wait(timeout: .now() + 0.8) == .success
        iopub.close()
        if finished { context.terminate() }
        return exitRestart
    }

    /// Asks the server to stop as after a shutdown request (used by tests and embedders).
    public func stop() {
        state.lock()
        let first = !stopping
        stopping = true
        state.unlock()
        if first { stopped.signal() }
    }

    var isStopping: Bool { state.lock(); defer { state.unlock() }; return stopping }

    private func spawn(_ name: String, _ body: @escaping () -> Void) {
        threadsDone.enter()
        let thread = Thread { [threadsDone] in
            body()
            threadsDone.leave()
        }
        thread.name = "lode-kernel-\(name)"
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func heartbeatLoop() {
        while !isStopping {
            do {
                guard let frames = try heartbeat.receive() else { continue }
                try heartbeat.send(frames)
            } catch {
                KernelLog.write("heartbeat: \(error)")
                if (error as? ZeroMQError)?.isTermination == true { break }
            }
        }
        heartbeat.close()
    }

    /// Receive, verify, decode and dispatch one channel's requests until shutdown. A message
    /// that fails any check is logged and dropped; a handler never brings the loop down.
    private func serve(_ socket: ZeroMQSocket, handlers: [String: (Message) -> Void]) {
        while !isStopping {
            let frames: [[UInt8]]
            do {
                guard let received = try socket.receive() else { continue }
                frames = received
            } catch {
                KernelLog.write("receive: \(error)")
                if (error as? ZeroMQError)?.isTermination == true { break }
                continue
            }
            switch codec.decode(frames) {
            case .failure(let rejection):
                KernelLog.write("dropped a message: \(rejection)")
            case .success(let message):
                guard let handler = handlers[message.type] else {
                    KernelLog.write("ignored a message of unknown type '\(message.type)'")
                    continue
                }
                // Every request is wrapped in busy ... idle on iopub.
                iopub.status("busy", parent: message.header)
                handler(message)
                iopub.status("idle", parent: message.header)
            }
        }
        if socket === shell { stdin.close() }
        socket.close()
    }

    func reply(on socket: ZeroMQSocket, to request: Message, type: String, content: JSONObject) {
        let message = Message(identities: request.identities, header: Message.header(type: type, session: session),
                              parentHeader: request.header, content: content)
        do { try socket.send(codec.encode(message)) } catch { KernelLog.write("could not send \(type): \(error)") }
    }

    // MARK: running cells, interruption and shutdown

    func beginCell(_ publisher: OutputPublisher) {
        state.lock(); defer { state.unlock() }
        activePublisher = publisher
        interruptRequested = false
        running = true
    }

    func endCell() {
        state.lock()
        let publisher = activePublisher
        activePublisher = nil
        running = false
        state.unlock()
        publisher?.flushStreams()
    }

    /// Interrupts the running cell, if any; an interrupt between cells is ignored so it cannot
    /// cut short the next one.
    func interruptRunningCell() {
        state.lock()
        let active = running
        if active { interruptRequested = true }
        state.unlock()
        if active { interpreter.interrupt() }
    }

    var isInterruptRequested: Bool { state.lock(); defer { state.unlock() }; return interruptRequested }

    func requestShutdown(restart: Bool) {
        state.lock()
        exitRestart = restart
        state.unlock()
        interruptRunningCell()
        interpreter.shutdown(restart: restart)
        stop()
    }

    private func flushLoop() {
        while !isStopping {
            Thread.sleep(forTimeInterval: options.flushInterval)
            state.lock()
            let publisher = activePublisher
            // An interrupt can land before the interpreter starts the cell and clears its own
            // flag; repeating it while the cell runs makes sure the cell sees it.
            let repeatInterrupt = running && interruptRequested
            state.unlock()
            publisher?.flushStreams()
            if repeatInterrupt { interpreter.interrupt() }
        }
    }

    /// Routes SIGINT to a pipe the watcher thread reads. A handler (not a blocked mask) is used
    /// because libraries start threads before `main` (OpenBLAS's pool among them); a signal
    /// may land on any of them, and only a process-wide handler catches it there.
    private func installInterruptSignalHandler() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        kernelSignalPipe = (fds[0], fds[1])
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(kernelSignalPipe.write, &byte, 1)   // async-signal-safe
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }

    /// SIGINT (the front end's interrupt in signal mode, or Ctrl-C in a terminal) interrupts
    /// the running cell exactly as an interrupt_request does. Detached: the read cannot time out.
    private func startSignalWatcher() {
        let readEnd = kernelSignalPipe.read
        guard readEnd >= 0 else { return }
        let thread = Thread { [weak self] in
            var byte: UInt8 = 0
            while true {
                guard read(readEnd, &byte, 1) == 1 else { continue }
                guard let self, !self.isStopping else { return }
                KernelLog.write("SIGINT: interrupting the running cell")
                self.interruptRunningCell()
            }
        }
        thread.name = "lode-kernel-signals"
        thread.start()
    }
}

/// The SIGINT self-pipe (read end, write end); global because a C signal handler captures nothing.
nonisolated(unsafe) private var kernelSignalPipe: (read: Int32, write: Int32) = (-1, -1)
