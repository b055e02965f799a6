import CRdKafka

/// An error reported by librdkafka, with its code and its own text.
public struct KafkaError: Error, Sendable, CustomStringConvertible, Equatable {
    /// librdkafka's `rd_kafka_resp_err_t` value (negative: client-side, positive: broker).
    public var code: Int32
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    init(_ err: rd_kafka_resp_err_t, context: String? = nil) {
        let text = String(cString: rd_kafka_err2str(err))
        self.init(code: err.rawValue, message: context.map { "\($0): \(text)" } ?? text)
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer) {
        self.init(code: rd_kafka_error_code(error).rawValue, message: String(cString: rd_kafka_error_string(error)))
        rd_kafka_error_destroy(error)
    }

    public var description: String { "Kafka error \(code): \(message)" }

    public static func configuration(_ message: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: message)
    }

    public static func timedOut(_ message: String) -> KafkaError {
        KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, message: message)
    }

    public var isTopicAlreadyExists: Bool { code == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.rawValue }
}

/// The linked librdkafka's version, e.g. "2.16.1": the runtime must be the newer library.
public var librdkafkaVersion: String { String(cString: rd_kafka_version_str()) }
