package org.swarmmq.it;

import java.util.function.BiFunction;

/** The stock client libraries the pub/sub scenarios run against. */
enum ClientKind {
    PAHO_3_1_1(PahoV3Client::new),
    PAHO_5(PahoV5Client::new),
    HIVEMQ_3_1_1(HiveMqClient::v3),
    HIVEMQ_5(HiveMqClient::v5);

    private final BiFunction<BrokerProcess, String, StockClient> factory;

    ClientKind(BiFunction<BrokerProcess, String, StockClient> factory) {
        this.factory = factory;
    }

    /** A connected client with a fresh id and a clean session. */
    StockClient connect(BrokerProcess broker) {
        return factory.apply(broker, Ids.unique(name().toLowerCase().replace("_", "")));
    }
}
