import Foundation

/// The handler tables: message type -> what the kernel does with it. Shell requests run one
/// at a time on the shell thread; control requests are served while a cell runs.
extension KernelServer {
    func makeShellHandlers() -> [String: (Message) -> Void] {
        let replyOnShell = { [unowned self] (request: Message, type: String, content: JSONObject) in
            reply(on: shell, to: request, type: type, content: content)
        }
        return [
            "kernel_info_request": { [unowned self] in replyOnShell($0, "kernel_info_reply", interpreter.kernelInfo.content) },
            "execute_request": { [unowned self] in execute($0) },
            "complete_request": { [unowned self] in replyOnShell($0, "complete_reply", completeContent($0)) },
            "inspect_request": { [unowned self] in replyOnShell($0, "inspect_reply", inspectContent($0)) },
            "is_complete_request": { [unowned self] in replyOnShell($0, "is_complete_reply", isCompleteContent($0)) },
            "history_request": { [unowned self] in replyOnShell($0, "history_reply", historyContent($0)) },
            "comm_info_request": { replyOnShell($0, "comm_info_reply", ["status": "ok", "comms": JSONObject()]) },
            // Lode registers no comm targets: a comm opened by the front end is closed at once,
            // so the front end does not wait on it (what ipykernel does for an unknown target).
            "comm_open": { [unowned self] request in
                let target = request.content.string("target_name")
                KernelLog.write("closed comm \(request.content.string("comm_id")): no target named '\(target)'")
                iopub.publish("comm_close", content: ["comm_id": request.content.string("comm_id"), "data": JSONObject()],
                              parent: request.header)
            },
            "comm_msg": { _ in },
            "comm_close": { _ in },
            "connect_request": { [unowned self] in replyOnShell($0, "connect_reply", connectContent()) },
            "shutdown_request": { [unowned self] in shutdown($0, on: shell) },
        ]
    }

    func makeControlHandlers() -> [String: (Message) -> Void] {
        [
            "kernel_info_request": { [unowned self] in
                reply(on: control, to: $0, type: "kernel_info_reply", content: interpreter.kernelInfo.content)
            },
            "interrupt_request": { [unowned self] in
                interruptRunningCell()
                reply(on: control, to: $0, type: "interrupt_reply", content: ["status": "ok"])
            },
            "shutdown_request": { [unowned self] in shutdown($0, on: control) },
        ]
    }

    private func shutdown(_ request: Message, on socket: ZeroMQSocket) {
        let restart = request.content.bool("restart", default: false)
        reply(on: socket, to: request, type: "shutdown_reply", content: ["status": "ok", "restart": restart])
        requestShutdown(restart: restart)
    }

    // MARK: execute

    private func execute(_ request: Message) {
        let content = request.content
        let code = content.string("code")
        let silent = content.bool("silent", default: false)
        // Silent cells never enter history nor advance the counter.
        let storeHistory = silent ? false : content.bool("store_history", default: true)
        let expressions = (content["user_expressions"] as? JSONObject ?? [:]).compactMapValues { $0 as? String }
        if storeHistory { executionCount += 1 }
        let count = executionCount
        let allowStdin = content.bool("allow_stdin", default: false)
        let publisher = OutputPublisher(
            iopub: iopub, parent: request.header, silent: silent, streamLimit: options.streamLimit,
            input: allowStdin ? { [unowned self] prompt, password in
                try readInput(for: request, prompt: prompt, password: password)
            } : nil)
        let executeRequest = ExecuteRequest(code: code, silent: silent, storeHistory: storeHistory,
                                            allowStdin: allowStdin,
                                            stopOnError: content.bool("stop_on_error", default: true),
                                            userExpressions: expressions, executionCount: count,
                                            updatesDisplays: updatesDisplays(request))
        // The cell counts as running before the front end can see it start, so an interrupt
        // sent as soon as execute_input arrives is never taken for one between cells.
        beginCell(publisher)
        if !silent {
            iopub.publish("execute_input", content: ["code": code, "execution_count": count], parent: request.header)
        }
        let outcome = interpreter.execute(executeRequest, publisher: publisher)
        endCell()
        if storeHistory { history.record(line: count, input: code, output: publisher.resultText) }

        var replyContent: JSONObject = ["execution_count": count,
                                        "user_expressions": userExpressionsContent(outcome.userExpressions)]
        switch outcome.status {
        case .ok:
            replyContent["status"] = "ok"
            var payload: [JSONObject] = outcome.pagerText.map {
                [["source": "page", "data": ["text/plain": $0], "start": 0] as JSONObject]
            } ?? []
            // A console front end leaves (and stops the kernel) on this; notebooks ignore it.
            if outcome.asksToExit { payload.append(["source": "ask_exit", "keepkernel": false]) }
            replyContent["payload"] = payload
        case .error(let error):
            replyContent["status"] = "error"
            replyContent["ename"] = error.name
            replyContent["evalue"] = error.value
            replyContent["traceback"] = error.traceback
        }
        // Only what was queued before the error reply goes out is aborted: a request sent after
        // the front end saw the error must run.
        var queued: [[[UInt8]]] = []
        if case .error = outcome.status, executeRequest.stopOnError { queued = drainQueuedRequests() }
        reply(on: shell, to: request, type: "execute_reply", content: replyContent)
        abortQueuedExecutions(queued)
    }

    /// Notebook front ends (JupyterLab, Notebook 7, VS Code, nbclient) name the cell they run
    /// in the request's metadata and redraw displays in place; a console (jupyter console,
    /// qtconsole) sends no cell id and prints each display once. `LODE_PROGRESS=display` or
    /// `lines` overrides the guess.
    private func updatesDisplays(_ request: Message) -> Bool {
        switch options.progressStyle {
        case .display: return true
        case .lines: return false
        case .automatic:
            let cellID = request.metadata["cellId"] ?? request.metadata["cell_id"]
            return (cellID as? String).map { !$0.isEmpty } ?? false
        }
    }

    private func userExpressionsContent(_ results: [String: UserExpressionResult]) -> JSONObject {
        results.mapValues { result -> Any in
            switch result {
            case .value(let bundle):
                return ["status": "ok", "data": bundle.data, "metadata": bundle.jsonMetadata] as JSONObject
            case .error(let error):
                return ["status": "error", "ename": error.name, "evalue": error.value,
                        "traceback": error.traceback] as JSONObject
            }
        }
    }

    private func drainQueuedRequests() -> [[[UInt8]]] {
        var drained: [[[UInt8]]] = []
        while true {
            do {
                guard let frames = try shell.receive(dontWait: true) else { return drained }
                drained.append(frames)
            } catch {
                KernelLog.write("receive while aborting: \(error)")
                return drained
            }
        }
    }

    /// After a failed cell with stop_on_error, the cells the front end had already queued are
    /// answered "aborted" without running, so a notebook stops at its first error; other
    /// requests among them are served as usual.
    private func abortQueuedExecutions(_ queued: [[[UInt8]]]) {
        for frames in queued {
            switch codec.decode(frames) {
            case .failure(let rejection):
                KernelLog.write("dropped a message: \(rejection)")
            case .success(let message):
                iopub.status("busy", parent: message.header)
                if message.type == "execute_request" {
                    reply(on: shell, to: message, type: "execute_reply",
                          content: ["status": "aborted", "execution_count": executionCount])
                } else if let handler = shellHandlers[message.type] {
                    handler(message)
                }
                iopub.status("idle", parent: message.header)
            }
        }
    }

    /// One `input(prompt)`: an input_request to the requesting front end on stdin, then wait
    /// for its input_reply; an interrupt or shutdown ends the wait.
    private func readInput(for request: Message, prompt: String, password: Bool) throws -> String {
        let ask = Message(identities: request.identities, header: Message.header(type: "input_request", session: session),
                          parentHeader: request.header, content: ["prompt": prompt, "password": password])
        // Anything left from an earlier, abandoned request is stale.
        while (try? stdin.receive(dontWait: true)) != nil {}
        do { try stdin.send(codec.encode(ask)) } catch {
            throw InputUnavailable(description: "input could not be requested: \(error)")
        }
        while true {
            if isInterruptRequested || isStopping {
                throw InputUnavailable(description: "input was interrupted")
            }
            let frames: [[UInt8]]?
            do { frames = try stdin.receive() } catch {
                throw InputUnavailable(description: "input could not be read: \(error)")
            }
            guard let frames else { continue }
            switch codec.decode(frames) {
            case .failure(let rejection):
                KernelLog.write("dropped a stdin message: \(rejection)")
            case .success(let message) where message.type == "input_reply":
                return message.content.string("value")
            case .success(let message):
                KernelLog.write("ignored a stdin message of type '\(message.type)'")
            }
        }
    }

    // MARK: introspection

    private func cursor(_ content: JSONObject, code: String) -> Int {
        let count = code.unicodeScalars.count
        return min(max(0, content.int("cursor_pos") ?? count), count)
    }

    private func completeContent(_ request: Message) -> JSONObject {
        let code = request.content.string("code")
        let reply = interpreter.complete(code: code, cursor: cursor(request.content, code: code))
        return ["status": "ok", "matches": reply.matches, "cursor_start": reply.cursorStart,
                "cursor_end": reply.cursorEnd, "metadata": JSONObject()]
    }

    private func inspectContent(_ request: Message) -> JSONObject {
        let code = request.content.string("code")
        let reply = interpreter.inspect(code: code, cursor: cursor(request.content, code: code),
                                        detailLevel: request.content.int("detail_level") ?? 0)
        return ["status": "ok", "found": reply.found, "data": reply.found ? reply.data : [:], "metadata": JSONObject()]
    }

    private func isCompleteContent(_ request: Message) -> JSONObject {
        switch interpreter.isComplete(code: request.content.string("code")) {
        case .complete: return ["status": "complete"]
        case .incomplete(let indent): return ["status": "incomplete", "indent": indent]
        case .invalid: return ["status": "invalid"]
        case .unknown: return ["status": "unknown"]
        }
    }

    private func historyContent(_ request: Message) -> JSONObject {
        let content = request.content
        let access: HistoryRequest.Access
        switch content.string("hist_access_type", default: "tail") {
        case "range":
            access = .range(session: content.int("session") ?? 0, start: content.int("start") ?? 1,
                            stop: content.int("stop") ?? 0)
        case "search":
            access = .search(pattern: content.string("pattern", default: "*"), count: content.int("n"),
                              unique: content.bool("unique", default: false))
        default:
            access = .tail(count: content.int("n") ?? 10)
        }
        let includeOutput = content.bool("output", default: false)
        let entries = interpreter.history(HistoryRequest(access: access, includeOutput: includeOutput), recorded: history)
        let rows: [[Any]] = entries.map { entry in
            let cell: Any = includeOutput ? [entry.input, entry.output ?? NSNull()] as [Any] : entry.input
            return [entry.session, entry.line, cell]
        }
        return ["status": "ok", "history": rows]
    }

    private func connectContent() -> JSONObject {
        ["status": "ok", "shell_port": connection.shellPort, "iopub_port": connection.iopubPort,
         "stdin_port": connection.stdinPort, "hb_port": connection.heartbeatPort,
         "control_port": connection.controlPort]
    }
}
