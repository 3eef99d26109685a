package org.swarmmq.node;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * How a node finds its cluster, and Pekko Management's HTTP endpoint (health checks at
 * {@code /ready} and {@code /alive}) when {@code swarmmq.management.port} is set.
 *
 * <ul>
 *   <li>{@code discovery = kubernetes-api}: Cluster Bootstrap asks the Kubernetes API for the pods
 *       (k8s/rbac.yaml lets it) and forms or joins the cluster; it needs the management endpoint.
 *   <li>otherwise, seed nodes if configured (the cluster extension joins them itself), else the
 *       node joins itself: a cluster of one.
 * </ul>
 */
final class Management {
    private Management() {
    }

    static void start(ActorSystem<?> system, Config config) {
        Config m = config.getConfig("swarmmq.management");
        String discovery = m.getString("discovery");
        boolean bootstrap = discovery.equals("kubernetes-api");
        if (!bootstrap && !discovery.equals("none")) {
            throw new IllegalArgumentException("SWARMMQ_DISCOVERY must be none or kubernetes-api, not " + discovery);
        }
        if (bootstrap && !config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            // both would join: the seeds by the cluster extension, the pods by bootstrap, maybe two clusters
            throw new IllegalArgumentException("SWARMMQ_DISCOVERY=kubernetes-api finds the nodes itself: unset SWARMMQ_SEED_NODES");
        }
        if (m.getInt("port") > 0) {
            PekkoManagement.get(Adapter.toClassic(system)).start();
        } else if (bootstrap) {
            throw new IllegalArgumentException("SWARMMQ_DISCOVERY=kubernetes-api needs SWARMMQ_MANAGEMENT_PORT");
        }
        if (bootstrap) {
            ClusterBootstrap.get(Adapter.toClassic(system)).start();
        } else if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            Cluster cluster = Cluster.get(system);
            cluster.manager().tell(Join.create(cluster.selfMember().address())); // a cluster of one
        }
    }
}
