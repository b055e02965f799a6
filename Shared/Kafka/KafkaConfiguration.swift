import CRdKafka

/// librdkafka properties (see its CONFIGURATION.md), with the defaults this system relies on.
public struct KafkaConfiguration: Sendable {
    public var properties: [String: String]

    public init(brokers: String, clientID: String = "eco", properties: [String: String] = [:]) {
        var base: [String: String] = [
            "bootstrap.servers": brokers,
            "client.id": clientID,
            // Loopback brokers answer fast; keep failure detection snappy.
            "socket.connection.setup.timeout.ms": "10000",
            "reconnect.backoff.max.ms": "1000",
            "log_level": "3",
        ]
        base.merge(properties) { _, new in new }
        self.properties = base
    }

    public var brokers: String { properties["bootstrap.servers"] ?? "" }

    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// Builds an `rd_kafka_conf_t`; the caller owns it until `rd_kafka_new` takes it.
    func makeConf() throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else { throw KafkaError.configuration("rd_kafka_conf_new failed") }
        var errstr = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError.configuration("\(key)=\(value): \(errorText(errstr))")
            }
        }
        return conf
    }
}

/// The text librdkafka wrote into an error buffer, up to its terminating NUL.
func errorText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Creates a client handle from a configuration; `rd_kafka_new` takes ownership of `conf`.
func makeClient(type: rd_kafka_type_t, conf: OpaquePointer) throws(KafkaError) -> OpaquePointer {
    var errstr = [CChar](repeating: 0, count: 512)
    guard let handle = rd_kafka_new(type, conf, &errstr, errstr.count) else {
        rd_kafka_conf_destroy(conf)
        throw KafkaError.configuration(errorText(errstr))
    }
    return handle
}
