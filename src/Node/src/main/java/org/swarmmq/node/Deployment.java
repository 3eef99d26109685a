package org.swarmmq.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings HOCON cannot derive by itself, in one place: the database profile and driver
 * chosen from the JDBC URL's prefix ({@code SWARMMQ_DB_URL}), and the seed node list split from
 * the comma-separated {@code SWARMMQ_SEED_NODES}. {@link #overrides} reads the resolved
 * configuration and returns what goes on top of it before the final resolve.
 */
final class Deployment {
    static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    static final String H2_PREFIX = "jdbc:h2:";

    private Deployment() {
    }

    static Config overrides(Config resolved) {
        Map<String, Object> o = new HashMap<>();
        String url = resolved.hasPath("swarmmq.db.url") ? resolved.getString("swarmmq.db.url").trim() : "";
        if (!url.isEmpty()) {
            if (url.startsWith(POSTGRES_PREFIX)) {
                o.put("swarmmq-slick.profile", "slick.jdbc.PostgresProfile$");
                o.put("swarmmq-slick.db.driver", "org.postgresql.Driver");
            } else if (url.startsWith(H2_PREFIX)) {
                o.put("swarmmq-slick.profile", "slick.jdbc.H2Profile$");
                o.put("swarmmq-slick.db.driver", "org.h2.Driver");
            } else {
                throw new IllegalArgumentException("SWARMMQ_DB_URL (swarmmq.db.url) must start with "
                        + POSTGRES_PREFIX + " or " + H2_PREFIX + ": " + url);
            }
            o.put("swarmmq-slick.db.url", url);
            o.put("swarmmq-slick.db.user", resolved.hasPath("swarmmq.db.user") ? resolved.getString("swarmmq.db.user") : "");
            o.put("swarmmq-slick.db.password",
                    resolved.hasPath("swarmmq.db.password") ? resolved.getString("swarmmq.db.password") : "");
        }
        List<String> seeds = seedNodes(resolved.hasPath("swarmmq.seed-nodes") ? resolved.getString("swarmmq.seed-nodes") : "");
        if (!seeds.isEmpty()) o.put("pekko.cluster.seed-nodes", seeds);
        return ConfigFactory.parseMap(o, "SWARMMQ_DB_URL / SWARMMQ_SEED_NODES");
    }

    /** {@code "pekko://swarmmq@a:25520, pekko://swarmmq@b:25520"} as a list; blank entries dropped. */
    static List<String> seedNodes(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String s : commaSeparated.split(",")) {
            String t = s.trim();
            if (t.isEmpty()) continue;
            if (!t.startsWith("pekko://swarmmq@")) {
                throw new IllegalArgumentException("a seed node looks like pekko://swarmmq@host:port, not " + t);
            }
            out.add(t);
        }
        return out;
    }

    static boolean isPostgres(Config config) {
        return config.getString("swarmmq-slick.db.url").startsWith(POSTGRES_PREFIX);
    }
}
