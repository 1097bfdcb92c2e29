import LodeScript

/// What a language must provide to be served as a Jupyter kernel. The kernel owns the
/// sockets, the wire format, the execution counter, busy/idle and history recording; the
/// interpreter only runs code and answers questions about it. Output goes through the
/// `OutputPublisher` handed to `execute`, as it happens.
public protocol KernelInterpreter: AnyObject {
    var kernelInfo: KernelInfo { get }

    /// Runs one cell. The interpreter publishes the cell's result (`publisher.result`) and any
    /// error (`publisher.error`) itself and reports the status in the reply.
    func execute(_ request: ExecuteRequest, publisher: OutputPublisher) -> ExecuteReply
    func complete(code: String, cursor: Int) -> CompletionReply
    func inspect(code: String, cursor: Int, detailLevel: Int) -> InspectReply
    func isComplete(code: String) -> CodeCompleteness
    /// Answers a history request; the default reads what the kernel recorded.
    func history(_ request: HistoryRequest, recorded: HistoryStore) -> [HistoryEntry]
    /// Called from the control thread or the signal thread while a cell runs: the cell must
    /// stop at its next check and reply with an error, keeping every variable.
    func interrupt()
    func shutdown(restart: Bool)
}

extension KernelInterpreter {
    public func history(_ request: HistoryRequest, recorded: HistoryStore) -> [HistoryEntry] {
        recorded.entries(matching: request)
    }
}

public struct KernelInfo {
    public struct HelpLink { public var text: String; public var url: String
        public init(text: String, url: String) { self.text = text; self.url = url } }

    public var implementation: String
    public var implementationVersion: String
    public var languageName: String
    public var languageVersion: String
    public var mimetype: String
    public var fileExtension: String
    public var pygmentsLexer: String
    public var codemirrorMode: String
    public var banner: String
    public var helpLinks: [HelpLink]

    public init(implementation: String, implementationVersion: String, languageName: String,
                languageVersion: String, mimetype: String, fileExtension: String,
                pygmentsLexer: String, codemirrorMode: String, banner: String, helpLinks: [HelpLink]) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageName = languageName
        self.languageVersion = languageVersion
        self.mimetype = mimetype
        self.fileExtension = fileExtension
        self.pygmentsLexer = pygmentsLexer
        self.codemirrorMode = codemirrorMode
        self.banner = banner
        self.helpLinks = helpLinks
    }

    var content: JSONObject {
        ["status": "ok", "protocol_version": jupyterProtocolVersion, "implementation": implementation,
         "implementation_version": implementationVersion,
         "language_info": ["name": languageName, "version": languageVersion, "mimetype": mimetype,
                           "file_extension": fileExtension, "pygments_lexer": pygmentsLexer,
                           "codemirror_mode": codemirrorMode, "nbconvert_exporter": "script"] as JSONObject,
         "banner": banner, "debugger": false,
         "help_links": helpLinks.map { ["text": $0.text, "url": $0.url] }]
    }
}

public struct ExecuteRequest {
    public var code: String
    public var silent: Bool
    public var storeHistory: Bool
    public var allowStdin: Bool
    public var stopOnError: Bool
    /// Name -> expression to evaluate after the cell; answered in the reply.
    public var userExpressions: [String: String]
    /// The count this cell is shown with (already advanced when it stores history).
    public var executionCount: Int
    /// Whether the front end redraws a display in place (update_display_data); consoles
    /// print each display once, so live output goes to them as lines instead.
    public var updatesDisplays: Bool

    public init(code: String, silent: Bool = false, storeHistory: Bool = true, allowStdin: Bool = false,
                stopOnError: Bool = true, userExpressions: [String: String] = [:], executionCount: Int = 1,
                updatesDisplays: Bool = true) {
        self.updatesDisplays = updatesDisplays
        self.code = code
        self.silent = silent
        self.storeHistory = storeHistory
        self.allowStdin = allowStdin
        self.stopOnError = stopOnError
        self.userExpressions = userExpressions
        self.executionCount = executionCount
    }
}

/// A mime bundle (mime type -> text, PNG as base64) is the language's display bundle.
public typealias MimeBundle = DisplayBundle

extension DisplayBundle {
    public static func plain(_ text: String) -> DisplayBundle { DisplayBundle(plainText: text) }
}

public struct KernelError: Error, Equatable {
    public var name: String
    public var value: String
    public var traceback: [String]
    public init(name: String, value: String, traceback: [String]) {
        self.name = name
        self.value = value
        self.traceback = traceback
    }
}

public enum UserExpressionResult: Equatable {
    case value(MimeBundle)
    case error(KernelError)
}

public struct ExecuteReply {
    public enum Status: Equatable { case ok, error(KernelError) }
    public var status: Status
    /// Text for the front end's pager (payload source "page"), e.g. help shown by `?name`.
    public var pagerText: String?
    public var userExpressions: [String: UserExpressionResult]
    /// The cell was `exit` or `quit`: the front end is asked to leave (payload "ask_exit").
    public var asksToExit: Bool

    public init(status: Status, pagerText: String? = nil, userExpressions: [String: UserExpressionResult] = [:],
                asksToExit: Bool = false) {
        self.status = status
        self.pagerText = pagerText
        self.userExpressions = userExpressions
        self.asksToExit = asksToExit
    }
}

/// Completion matches and the code-point range they replace: the language's own result type.
public typealias CompletionReply = CompletionResult

public struct InspectReply: Equatable {
    public var found: Bool
    public var data: [String: String]
    public init(found: Bool, data: [String: String] = [:]) {
        self.found = found
        self.data = data
    }
    public static let notFound = InspectReply(found: false)
}

public enum CodeCompleteness: Equatable {
    case complete
    case incomplete(indent: String)
    case invalid
    case unknown
}
