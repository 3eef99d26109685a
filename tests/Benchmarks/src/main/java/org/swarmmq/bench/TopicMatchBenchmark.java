package org.swarmmq.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.swarmmq.protocol.topics.SubscriptionTrie;

/**
 * How long {@link SubscriptionTrie#match} takes with 10k and 100k subscribed filters.
 *
 * <p>The filters imitate a telemetry fleet: topics {@code site/<s>/device/<d>/<metric>}, with 200
 * filters per site on average. 90% of the filters are exact topics; 10% have wildcards
 * ({@code site/<s>/device/+/<metric>}, {@code site/<s>/device/<d>/#}, {@code site/<s>/device/<d>/+},
 * {@code site/+/device/<d>/<metric>}, {@code site/<s>/#}) and sit, like dashboards do, on a fifth
 * of the sites, the "hot" ones. Generation uses a fixed seed, so every run indexes the same filters.
 *
 * <p>Three topic sets, 1024 topics each, visited round-robin so one topic's path does not stay
 * hot in cache: {@code oneHit} topics match exactly one filter, {@code manyHits} topics match
 * three or more (the setup prints the average), {@code noHit} topics name an unknown device.
 * The counts are checked against the trie in the setup, not assumed.
 */
@State(Scope.Thread) // the trie is not thread-safe: with -t N every thread gets its own
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TopicMatchBenchmark {
    private static final String[] METRICS = {"temp", "humidity", "pressure", "co2", "battery"};
    private static final int DEVICES_PER_SITE = 100;
    private static final int TOPICS = 1024; // a power of two: the index wraps with a mask
    private static final long SEED = 42;

    @Param({"10000", "100000"})
    int filters;

    private SubscriptionTrie<Integer> trie;
    private String[] oneHit;
    private String[] manyHits;
    private String[] noHit;
    private int next;
    private final Sink sink = new Sink();

    /** The visitor: hands each match to the Blackhole; one object, so matching allocates no lambda. */
    private static final class Sink implements BiConsumer<String, Integer> {
        Blackhole bh;

        @Override
        public void accept(String filter, Integer value) {
            bh.consume(value);
        }
    }

    @Setup
    public void build() {
        Random random = new Random(SEED);
        int sites = Math.max(10, filters / 200);
        int hotSites = Math.max(1, sites / 5);
        Set<String> all = new LinkedHashSet<>();
        int exact = filters * 9 / 10;
        while (all.size() < exact) {
            all.add(topic(random.nextInt(sites), random.nextInt(DEVICES_PER_SITE), random.nextInt(METRICS.length)));
        }
        while (all.size() < filters) {
            all.add(wildcardFilter(random, random.nextInt(hotSites)));
        }
        trie = new SubscriptionTrie<>();
        int id = 0;
        for (String f : all) trie.add(f, id++);

        // Candidate topics from every site; keep each in the set its match count puts it in.
        List<String> one = new ArrayList<>();
        List<String> many = new ArrayList<>();
        long manyMatches = 0;
        for (int tries = 0; (one.size() < TOPICS || many.size() < TOPICS) && tries < 10_000_000; tries++) {
            String t = topic(random.nextInt(sites), random.nextInt(DEVICES_PER_SITE), random.nextInt(METRICS.length));
            int n = trie.matchList(t).size();
            if (n == 1 && one.size() < TOPICS) one.add(t);
            if (n >= 3 && many.size() < TOPICS) {
                many.add(t);
                manyMatches += n;
            }
        }
        if (one.size() < TOPICS || many.size() < TOPICS) {
            throw new IllegalStateException("filter mix gives too few topics: " + one.size() + " / " + many.size());
        }
        oneHit = one.toArray(String[]::new);
        manyHits = many.toArray(String[]::new);
        noHit = new String[TOPICS];
        for (int i = 0; i < TOPICS; i++) {
            // A device number no filter names, on a cold site: the walk stops at the device level.
            noHit[i] = "site/" + (hotSites + random.nextInt(sites - hotSites)) + "/device/x" + i + "/temp";
            if (!trie.matchList(noHit[i]).isEmpty()) throw new IllegalStateException(noHit[i] + " matches");
        }
        System.out.printf("%n[setup] %d filters, %d sites, %d hot; manyHits topics match %.1f filters on average%n",
                trie.size(), sites, hotSites, manyMatches / (double) TOPICS);
    }

    private static String topic(int site, int device, int metric) {
        return "site/" + site + "/device/" + device + "/" + METRICS[metric];
    }

    private static String wildcardFilter(Random random, int site) {
        int device = random.nextInt(DEVICES_PER_SITE);
        String metric = METRICS[random.nextInt(METRICS.length)];
        return switch (random.nextInt(5)) {
            case 0 -> "site/" + site + "/device/+/" + metric;
            case 1 -> "site/" + site + "/device/" + device + "/#";
            case 2 -> "site/" + site + "/device/" + device + "/+";
            case 3 -> "site/+/device/" + device + "/" + metric;
            default -> "site/" + site + "/#";
        };
    }

    private int nextIndex() {
        return next = (next + 1) & (TOPICS - 1);
    }

    @Benchmark
    public void oneHit(Blackhole bh) {
        sink.bh = bh;
        trie.match(oneHit[nextIndex()], sink);
    }

    @Benchmark
    public void manyHits(Blackhole bh) {
        sink.bh = bh;
        trie.match(manyHits[nextIndex()], sink);
    }

    @Benchmark
    public void noHit(Blackhole bh) {
        sink.bh = bh;
        trie.match(noHit[nextIndex()], sink);
    }
}
